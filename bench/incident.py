"""Incident scan throughput per core on local Dask clusters of 1, 2 and 4 worker processes.

The generated 10,000-message archive is scanned once per cluster size, each
worker process single-threaded (``threads_per_worker=1``), every worker's
Guard built before the clock starts. Each run is checked against the
generator's ground truth, so a fast wrong answer does not count.

Per run it reports wall throughput (msg/s, per worker process, per core), the
CPU seconds every worker process spent (from its own ``getrusage``) and the
coordinator's (this process: reading the archive, the Dask scheduler and
client, the exposure graph). Scaling efficiency is given two ways: in wall
time, ``msg/s(n) / (n * msg/s(1))``, which cannot stay near 1 beyond the
machine's core count; and in CPU, each worker process's messages per CPU
second against the 1-worker run, which says whether the work per message
stays the same as processes are added (linear on as many cores as processes).

    .venv/bin/python bench/incident.py [--messages N] [--workers 1 2 4] [--quick]
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

from lib.aims import evaluate, load_aims, results_used
from lib.results import write_result
from lib.tables import print_table, text_table

from crossguard.config import settings_from_dict
from crossguard.incident.runner import Cluster, Progress, client_for
from crossguard.incident.scoping import ScopeRequest, scope
from crossguard.incident.worker import guard_for
from crossguard.index.build import build_index
from crossguard.index.customer_input import read_customers
from crossguard.scan import GuardSpec
from crossguard.synth.archive import GroundTruth, write_archive
from crossguard.synth.customers import generate_customers, write_customers_csv


def main() -> None:
    """Scan the archive on each cluster size; print the table, write incident.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--batch-size", type=int, default=Cluster().batch_size)
    parser.add_argument("--quick", action="store_true", help="3,000 messages")
    args = parser.parse_args()
    messages = 3_000 if args.quick else args.messages
    os.environ.setdefault("CROSSGUARD_KEY", secrets.token_hex(32))
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="crossguard-bench-") as scratch:
        folder = Path(scratch)
        customers = generate_customers(1_000, seed=7)
        csv_path = write_customers_csv(customers, folder / "customers.csv")
        build_index(read_customers(csv_path), folder / "index",
                    bytes.fromhex(os.environ["CROSSGUARD_KEY"]))
        truth = write_archive(folder / "archive.mbox", customers, messages=messages)
        settings = settings_from_dict({"index": {"path": str(folder / "index")},
                                       "policy": {"company_domains": ["example.com"]}})
        spec = GuardSpec(settings, (folder / "index").resolve())
        runs = {str(workers): measure(spec, folder, workers, args.batch_size, truth)
                for workers in args.workers}
    result = summarize(runs, messages, cores, args.batch_size)
    print_table(f"Incident scan, {messages:,} messages, batches of {args.batch_size} "
                f"({cores} cores, 1-minute load {os.getloadavg()[0]:.1f})",
                ["workers", "msg/s", "per process", "per core", "wall eff.",
                 "worker CPU ms/msg", "msg per worker CPU s", "CPU eff.",
                 "coordinator CPU ms/msg", "exact"],
                [[n, r["messages_per_second"], r["messages_per_second_per_process"],
                  r["messages_per_second_per_core"], result["scaling_efficiency_wall"][n],
                  r["worker_cpu_ms_per_message"], r["messages_per_worker_cpu_second"],
                  result["scaling_efficiency_cpu"][n], r["coordinator_cpu_ms_per_message"],
                  r["matches_ground_truth"]] for n, r in runs.items()])
    print(f"\nper core: {result['messages_per_second_per_core']} msg/s wall at "
          f"{result['per_core_workers']} workers; "
          f"{result['cpu_messages_per_second_per_core']} messages per CPU second of all "
          "processes (workers and coordinator)\n")
    aims = [row.as_list() for row in evaluate(
        [aim for aim in load_aims() if results_used(aim) == {"incident"}], {"incident": result})]
    print(text_table(["aim", "measured", "pass/short"], aims))
    write_result("incident", {**result, "aims": aims}, quick=args.quick)


def measure(spec: GuardSpec, folder: Path, workers: int, batch_size: int,
            truth: GroundTruth) -> dict[str, Any]:
    """One scan of the archive on a fresh local cluster of ``workers`` processes."""
    settings = spec.settings
    marks: dict[str, float] = {}

    def read(count: int) -> None:
        if "first_read" not in marks:
            marks["first_read"], marks["cpu_first_read"] = time.perf_counter(), _cpu_seconds()

    def done(count: int) -> None:
        marks["last_done"], marks["cpu_last_done"] = time.perf_counter(), _cpu_seconds()

    out = folder / f"out-{workers}"
    with client_for(Cluster(workers)) as client:  # the scan's own local cluster
        client.run(_build_guard, spec)  # every worker's Guard built before the clock starts
        before = client.run(_cpu_seconds)
        address = client.scheduler_info()["address"]
        request = ScopeRequest([folder / "archive.mbox"], out,
                               Cluster(scheduler=address, batch_size=batch_size))
        graph, _ = scope(spec, settings.incident, request, Progress(read=read, done=done))
        after = client.run(_cpu_seconds)
    scan = marks["last_done"] - marks["first_read"]
    own = marks["cpu_last_done"] - marks["cpu_first_read"]
    worker_cpu = [after[address] - before[address] for address in before]
    found: dict[str, set[str]] = {}
    with (out / "exposures.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            found.setdefault(row["customer_id"], set()).add(row["recipient"])
    count = graph.read
    per_second = count / scan
    return {
        "workers": workers,
        "messages": count,
        "scan_seconds": round(scan, 3),
        "messages_per_second": round(per_second, 1),
        "messages_per_second_per_process": round(per_second / workers, 1),
        "messages_per_second_per_core": round(per_second / min(workers, os.cpu_count() or 1), 1),
        "worker_cpu_seconds": [round(seconds, 3) for seconds in worker_cpu],
        "worker_cpu_ms_per_message": round(1000 * sum(worker_cpu) / count, 4),
        "messages_per_worker_cpu_second": round(count / sum(worker_cpu), 1),
        "coordinator_cpu_seconds": round(own, 3),
        "coordinator_cpu_ms_per_message": round(1000 * own / count, 4),
        "messages_per_cpu_second_all_processes": round(count / (sum(worker_cpu) + own), 1),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "matches_ground_truth": found == {key: set(value)
                                          for key, value in truth.affected.items()},
    }


def summarize(runs: dict[str, dict[str, Any]], messages: int, cores: int,
              batch_size: int) -> dict[str, Any]:
    """The runs with their scaling efficiencies and the per-core figure judged against the aim."""
    base = runs.get("1")
    wall = {n: round(r["messages_per_second"] / (int(n) * base["messages_per_second"]), 3)
            if base else None for n, r in runs.items()}
    cpu = {n: round(r["messages_per_worker_cpu_second"] / base["messages_per_worker_cpu_second"],
                    3) if base else None for n, r in runs.items()}
    judged = runs.get(str(cores)) or runs[max(runs, key=int)]
    per_core = judged["messages_per_second_per_core"]
    return {
        "messages": messages,
        "cores": cores,
        "batch_size": batch_size,
        "runs": runs,
        "scaling_efficiency_wall": wall,
        "scaling_efficiency_cpu": cpu,
        "per_core_workers": judged["workers"],
        "messages_per_second_per_core": per_core,
        "cpu_messages_per_second_per_core": judged["messages_per_cpu_second_all_processes"],
        "matches_ground_truth": all(r["matches_ground_truth"] for r in runs.values()),
        "note": (f"{cores} cores: with more worker processes than cores the wall figures cannot "
                 "grow linearly; judge linearity by the CPU efficiency (messages per worker "
                 "CPU second against 1 worker). Per core = msg/s / min(workers, cores) at "
                 "workers = cores; the coordinator (reading, scheduler, graph) shares those "
                 "cores."),
    }


def _build_guard(spec: GuardSpec) -> None:
    """Build this worker's Guard (returns nothing: a Guard does not travel back)."""
    guard_for(spec)


def _cpu_seconds() -> float:
    """User + system CPU seconds of the calling process (every thread)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
