"""Incident scan throughput on the generated 10,000-message archive (2 local Dask workers).

Prints a table and writes bench/results/incident.json. Checks the report
against the generator's ground truth, so a fast wrong answer does not count.

    .venv/bin/python bench/incident.py [--messages N] [--workers N]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import secrets
import tempfile
import time
from pathlib import Path

from crossguard.config import settings_from_dict
from crossguard.incident.runner import Cluster, Progress
from crossguard.incident.scoping import ScopeRequest, scope
from crossguard.index.build import build_index
from crossguard.index.customer_input import read_customers
from crossguard.scan import GuardSpec
from crossguard.synth.archive import write_archive
from crossguard.synth.customers import generate_customers, write_customers_csv

RESULTS = Path(__file__).parent / "results" / "incident.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("CROSSGUARD_KEY", secrets.token_hex(32))
    with tempfile.TemporaryDirectory(prefix="crossguard-bench-") as scratch:
        folder = Path(scratch)
        started = time.perf_counter()
        customers = generate_customers(1_000, seed=7)
        csv_path = write_customers_csv(customers, folder / "customers.csv")
        build_index(read_customers(csv_path), folder / "index",
                    bytes.fromhex(os.environ["CROSSGUARD_KEY"]))
        truth = write_archive(folder / "archive.mbox", customers, messages=args.messages)
        prepared = time.perf_counter() - started
        settings = settings_from_dict({"index": {"path": str(folder / "index")},
                                       "policy": {"company_domains": ["example.com"]}})
        marks: dict[str, float] = {}
        progress = Progress(read=lambda count: marks.setdefault("first_read", time.perf_counter()),
                            done=lambda count: marks.__setitem__("last_done", time.perf_counter()))
        request = ScopeRequest([folder / "archive.mbox"], folder / "out",
                               Cluster(args.workers), aware_at=None)
        started, cpu_before = time.perf_counter(), _cpu_seconds()
        spec = GuardSpec(settings, (folder / "index").resolve())
        graph, data = scope(spec, settings.incident, request, progress)
        total = time.perf_counter() - started
        cpu = _cpu_seconds() - cpu_before
        scan = marks["last_done"] - marks["first_read"]
        found: dict[str, set[str]] = {}
        with (folder / "out" / "exposures.csv").open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                found.setdefault(row["customer_id"], set()).add(row["recipient"])
        exact = found == {key: set(value) for key, value in truth.affected.items()}
    result = {
        "messages": graph.read,
        "workers": args.workers,
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "prepare_seconds": round(prepared, 2),
        "scan_seconds": round(scan, 2),
        "total_seconds_with_cluster_and_outputs": round(total, 2),
        "messages_per_second_scan": round(graph.read / scan, 1),
        "messages_per_second_total": round(graph.read / total, 1),
        "cpu_seconds_all_processes": round(cpu, 2),
        "messages_per_second_projected_2_idle_cores": round(graph.read / (cpu / 2), 1),
        "affected_customers": data["exposures"]["affected_customers"],
        "edges": data["exposures"]["edges"],
        "matches_ground_truth": exact,
    }
    width = max(len(key) for key in result)
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the Dask workers, once closed).

    It includes starting the cluster and writing the outputs, so the
    projection from it is a lower bound for an idle machine.
    """
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


if __name__ == "__main__":
    main()
