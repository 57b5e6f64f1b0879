"""Index scale curve: build time, file size, RSS and lookup latency against customer count.

Each size is built in a fresh child process (so its peak RSS is its own)
from fast numpy-generated rows (bench/lib/rows.py: 13 fingerprints per
customer) with 2 build workers. The rows are generated in the workers from
picklable batches, as a CSV table's records are parsed there, so the
reading process does no per-row work. Build time is wall time on a shared
machine; ``build_cpu_s`` (reader + workers) does not depend on the load.

The index is then opened (median of 21 opens), read once (a running gateway has it in the page
cache) and queried with one lookup of a message's worth of fingerprints:
1,000 distinct values, 50 of them present (distinct stored values, each
value equally likely: mostly one owner, sometimes a shared date of birth,
postcode or card ending) and 950 random absent ones with valid kind bits,
checked absent; also the 950 absent ones alone (the search without hits)
and a single fingerprint. Power laws fitted to the points project build
time, CPU and size to 100M customers; peak RSS is fitted as a + b n (a
fixed interpreter baseline plus a cost per customer) and lookup latency as
a + b log2(n) (a binary search). ``--reuse`` keeps an index built earlier
from the same rows, with the build figures recorded then.

The build spills fingerprints to sorted runs on disk, so its memory is
bounded whatever the size; the aims are a peak RSS of at most 8 GB (the
reading process and its workers together) at every size, and an open time
that does not grow with the index (opening maps the segment and reads
its header). ``--huge`` adds 100M customers (about 1.3 billion fingerprints:
some 40-90 minutes and ~40 GB of disk under ``--dir`` at its peak). The
child logs its progress (rows, RSS, rate) to stderr every million rows.

    .venv/bin/python bench/scale.py [--quick] [--huge] [--sizes 100000,1000000] [--workers 2]
        [--dir /work/scale-indexes] [--add]

``--add`` keeps the committed points of sizes not measured in this run, so the
100M point can be measured on its own and join the curve:
``bench/scale.py --sizes 100000000 --add --dir /work/scale``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from lib import measure, results, tables

from crossguard.core.kinds import IndexKind
from crossguard.index.fingerprint import KIND_MASK

KEY = bytes(range(32))
FULL_SIZES = (100_000, 1_000_000, 10_000_000)
HUGE_SIZE = 100_000_000
#: The aims (issue 22): peak RSS of the whole build, and an open that does no per-size work.
RSS_AIM_MB = 8 * 1024
OPEN_AIM_MS = 5.0
PROGRESS_EVERY = 1_000_000
#: Opens timed per size (the median is reported).
OPENS = 21
QUICK_SIZES = (10_000, 100_000)
PROJECT_TO = 100_000_000
POWER_FIELDS = ("build_s", "build_cpu_s", "bytes")
#: A fixed ~80 MB (interpreter, numpy) dominates small builds' RSS: a power law through
#: the points bends down and understates a large build, so RSS is fitted as a + b n.
LINEAR_FIELD = "build_peak_rss_mb"
LOG_FIELD = "lookup_1000_ms_p50"
QUERY_BATCH = 1_000
PRESENT = 50
LOOKUP_ROUNDS = 300
#: Which row generator built an index: ``--reuse`` refuses one built from other rows.
#: (bench/lib/rows.py was bench/peer/rows.py when this tag was set; its rows are unchanged,
#: so indexes built before the move stay reusable.)
ROWS = "peer.rows v2: 13 fingerprints per customer, batches generated in the workers"


def index_dir(size: int) -> Path:
    """Where the index of ``size`` customers is built (reused by speed.py; ``--dir`` moves it)."""
    return Path(os.environ.get("CROSSGUARD_SCALE_DIR") or results.CACHE / "scale") / (
        f"customers-{size}")


def current_rss_mb() -> float:
    """This process's RSS now, in MB (VmRSS)."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024.0
    return math.nan


class Log:
    """Build progress to stderr every PROGRESS_EVERY rows: rows, rate, RSS, free disk."""

    def __init__(self, size: int, out: Path) -> None:
        self.size, self.out, self.rows, self.next = size, out, 0, PROGRESS_EVERY
        self.started = time.perf_counter()

    def __call__(self, rows: int) -> None:
        self.rows += rows
        if self.rows >= self.next or self.rows == self.size:
            self.next += PROGRESS_EVERY
            self.line("fingerprinting")

    def line(self, stage: str) -> None:
        elapsed = time.perf_counter() - self.started
        free_gb = shutil.disk_usage(self.out.parent).free / 1e9
        print(f"[{time.strftime('%H:%M:%S')}] {stage}: {self.rows:,}/{self.size:,} rows, "
              f"{elapsed:,.0f} s, {self.rows / max(elapsed, 1e-9):,.0f} rows/s, "
              f"RSS {current_rss_mb():,.0f} MB (peak {measure.peak_rss_mb():,.0f} MB), "
              f"disk free {free_gb:,.1f} GB", file=sys.stderr, flush=True)


def build_one(size: int, workers: int) -> dict[str, Any]:
    """Build the index of ``size`` customers; its build figures (also kept beside it)."""
    from lib.rows import customer_rows

    from crossguard.index.build import build_index

    out = index_dir(size)
    shutil.rmtree(out, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    started, cpu_started = time.perf_counter(), time.process_time()
    log = Log(size, out)
    report = build_index(customer_rows(size), out, KEY, workers=workers, progress=log)
    log.line("built")
    build_s = time.perf_counter() - started
    workers_usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    build_cpu_s = (time.process_time() - cpu_started
                   + workers_usage.ru_utime + workers_usage.ru_stime)
    size_bytes = sum(path.stat().st_size for path in out.iterdir())
    built = {
        "customers": report.customers,
        "fingerprints": report.fingerprints,
        "problems": report.problem_count,
        "rows": ROWS,
        "build_s": round(build_s, 2),
        "build_cpu_s": round(build_cpu_s, 2),
        "rows_per_s": round(size / build_s, 0),
        "bytes": size_bytes,
        "bytes_per_customer": round(size_bytes / size, 1),
        "build_peak_rss_mb": round(measure.peak_rss_mb(), 1),
        "worker_peak_rss_mb": round(workers_usage.ru_maxrss / 1024.0, 1),
        # the reader and every worker at their peaks at once: an upper bound of the build's
        "total_peak_rss_mb": round(measure.peak_rss_mb()
                                   + workers * workers_usage.ru_maxrss / 1024.0, 1),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "build_load_average_1m": round(os.getloadavg()[0], 2),
    }
    sidecar(size).write_text(json.dumps(built), encoding="utf-8")
    return built


def sidecar(size: int) -> Path:
    """The build figures kept next to a built index, for ``--reuse``."""
    return index_dir(size).with_suffix(".build.json")


def usable(size: int) -> bool:
    """Whether the index of ``size`` customers exists and opens with this crossguard."""
    return results.index_opens(index_dir(size), KEY)


def query_batches(stored: np.ndarray, rng: np.random.Generator, rounds: int
                  ) -> list[np.ndarray]:
    """``rounds`` batches of QUERY_BATCH distinct fingerprints, PRESENT of them in ``stored``.

    Present ones are distinct stored values, each equally likely (a random entry
    kept only if it starts its run); absent ones are random with a valid kind in
    their low bits, checked absent. Within a batch, present come first.
    """
    kinds = np.array([int(kind) for kind in IndexKind], dtype=np.uint64)
    batches = []
    for _ in range(rounds):
        present = np.zeros(0, np.uint64)
        while len(present) < PRESENT:
            at = rng.integers(0, len(stored), PRESENT * 2)
            starts = at[(at == 0) | (stored[at] != stored[np.maximum(at - 1, 0)])]
            present = np.unique(np.concatenate([present, stored[starts]]))
        present = rng.permutation(present)[:PRESENT]
        absent = np.zeros(0, np.uint64)
        while len(absent) < QUERY_BATCH - PRESENT:
            drawn = (rng.integers(0, 2**63, QUERY_BATCH, dtype=np.uint64) << np.uint64(1)
                     & ~np.uint64(KIND_MASK)) | rng.choice(kinds, QUERY_BATCH)
            spot = np.minimum(np.searchsorted(stored, drawn), len(stored) - 1)
            absent = np.unique(np.concatenate([absent, drawn[stored[spot] != drawn]]))
        absent = rng.permutation(absent)[: QUERY_BATCH - PRESENT]
        batches.append(np.concatenate([present, absent]))
    return batches


def measure_one(size: int, workers: int, reuse: bool) -> dict[str, Any]:
    """Build (or reuse), open, warm and query one index (runs in the child process)."""
    from crossguard.index.customer_index import CustomerIndex

    out = index_dir(size)
    recorded = json.loads(sidecar(size).read_text(encoding="utf-8")) if (
        reuse and sidecar(size).exists()) else {}
    if recorded.get("rows") == ROWS and usable(size):
        built: dict[str, Any] = {**recorded, "reused": True}
    else:
        built = build_one(size, workers)
    opens = []
    for _ in range(OPENS):
        started = time.perf_counter()
        index = CustomerIndex.open(out, KEY)
        opens.append((time.perf_counter() - started) * 1000.0)
    open_ms = measure.percentile(opens, 50)
    stored = np.asarray(index.segments[0].fps)
    # A running gateway has its index in the page cache: read it once before timing.
    started = time.perf_counter()
    for segment in index.segments:
        int(np.asarray(segment.fps).sum()) + int(np.asarray(segment.rows).sum())
    warm_ms = (time.perf_counter() - started) * 1000.0
    batch_ms, absent_ms, single_ms = [], [], []
    hits = 0
    for query in query_batches(stored, np.random.default_rng(size), LOOKUP_ROUNDS):
        started = time.perf_counter()
        hits += len(index.lookup(query))
        batch_ms.append((time.perf_counter() - started) * 1000.0)
        started = time.perf_counter()
        index.lookup(query[PRESENT:])
        absent_ms.append((time.perf_counter() - started) * 1000.0)
        started = time.perf_counter()
        index.lookup(query[:1])
        single_ms.append((time.perf_counter() - started) * 1000.0)
    return {
        **built,
        "open_ms": round(open_ms, 2),
        "warm_ms": round(warm_ms, 1),
        "lookup_load_average_1m": round(os.getloadavg()[0], 2),
        "present_per_lookup_1000": PRESENT,
        "lookup_1000_ms_p50": round(measure.percentile(batch_ms, 50), 3),
        "lookup_1000_ms_p99": round(measure.percentile(batch_ms, 99), 3),
        "lookup_950_absent_ms_p50": round(measure.percentile(absent_ms, 50), 3),
        "lookup_1_ms_p50": round(measure.percentile(single_ms, 50), 4),
        # Every owner of a present value is a hit: a shared date of birth, postcode
        # or card ending has more owners as the index grows.
        "hits_per_lookup_1000": round(hits / LOOKUP_ROUNDS, 1),
        "rss_after_lookups_mb": round(measure.peak_rss_mb(), 1),
    }


def fit_power(sizes: list[float], values: list[float]) -> tuple[float, float]:
    """Least-squares ``value = a * size ** b`` in log-log space: returns (a, b)."""
    if len(sizes) < 2 or any(value <= 0 for value in values):
        return (math.nan, math.nan)
    b, log_a = np.polyfit(np.log(sizes), np.log(values), 1)
    return (float(math.exp(log_a)), float(b))


def fit_linear(sizes: list[float], values: list[float]) -> tuple[float, float]:
    """Least-squares ``value = a + b * size``: returns (a, b)."""
    if len(sizes) < 2:
        return (math.nan, math.nan)
    b, a = np.polyfit(sizes, values, 1)
    return (float(a), float(b))


def fit_log(sizes: list[float], values: list[float]) -> tuple[float, float]:
    """Least-squares ``value = a + b * log2(size)``: returns (a, b)."""
    if len(sizes) < 2:
        return (math.nan, math.nan)
    b, a = np.polyfit(np.log2(sizes), values, 1)
    return (float(a), float(b))


def projection(points: list[dict[str, Any]]) -> dict[str, Any]:
    """Values at PROJECT_TO customers: power laws (build, size), a line (RSS), log2 (lookups).

    A lookup is a binary search, so its cost grows with log2 of the index size.
    """
    sizes = [float(point["customers"]) for point in points]
    projected: dict[str, Any] = {"customers": PROJECT_TO}
    for field in POWER_FIELDS:
        a, b = fit_power(sizes, [float(point[field]) for point in points])
        projected[field] = a * PROJECT_TO**b if not math.isnan(a) else None
        projected[f"{field}_fit"] = f"n^{b:.3f}" if not math.isnan(b) else None
    a, b = fit_linear(sizes, [float(point[LINEAR_FIELD]) for point in points])
    projected[LINEAR_FIELD] = a + b * PROJECT_TO if not math.isnan(a) else None
    projected[f"{LINEAR_FIELD}_fit"] = (f"{a:.0f} + {b * 1e6:.1f} per million n"
                                        if not math.isnan(a) else None)
    a, b = fit_log(sizes, [float(point[LOG_FIELD]) for point in points])
    projected[LOG_FIELD] = a + b * math.log2(PROJECT_TO) if not math.isnan(a) else None
    projected[f"{LOG_FIELD}_fit"] = f"{a:.3f} + {b:.3f} log2 n" if not math.isnan(a) else None
    return projected


def check_aims(points: list[dict[str, Any]]) -> dict[str, Any]:
    """Print and return the aims' rows: peak RSS at every size, open time at every size."""
    peak = max(point.get("total_peak_rss_mb", point["build_peak_rss_mb"]) for point in points)
    opens = {point["customers"]: point["open_ms"] for point in points}
    aims = {
        "build_peak_rss": {"aim_mb": RSS_AIM_MB, "largest_mb": peak,
                           "at_customers": max(point["customers"] for point in points),
                           "pass": peak <= RSS_AIM_MB},
        "open": {"aim_ms": OPEN_AIM_MS, "open_ms": opens,
                 "pass": max(opens.values()) <= OPEN_AIM_MS},
    }
    print("\naims (issue 22):")
    print(f"  build peak RSS (reader + workers) <= {RSS_AIM_MB:,} MB at every size: "
          f"largest {peak:,.0f} MB -> {'pass' if aims['build_peak_rss']['pass'] else 'short'}")
    print(f"  index open constant (<= {OPEN_AIM_MS} ms at every size): "
          + ", ".join(f"{size:,}: {ms} ms" for size, ms in opens.items())
          + f" -> {'pass' if aims['open']['pass'] else 'short'}")
    return aims


def main() -> None:
    """Measure every size in a child process, fit, print, write bench/results/scale.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k and 100k customers only")
    parser.add_argument("--sizes", default="", help="comma-separated customer counts")
    parser.add_argument("--huge", action="store_true", help="also 100M customers (~1 hour)")
    parser.add_argument("--dir", type=Path, default=None,
                        help="where to build the indexes (default bench/.cache/scale)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reuse", action="store_true",
                        help="reuse an index built earlier (and its recorded build figures)")
    parser.add_argument("--add", action="store_true",
                        help="keep the sizes of bench/results/scale.json not measured now "
                             "(a long --sizes 100000000 run joins the curve measured before)")
    parser.add_argument("--one", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.dir:
        os.environ["CROSSGUARD_SCALE_DIR"] = str(args.dir.resolve())
    if args.one:
        print(json.dumps(measure_one(args.one, args.workers, args.reuse)))
        return
    sizes = [int(size) for size in args.sizes.split(",") if size] or list(
        QUICK_SIZES if args.quick else FULL_SIZES
    ) + ([HUGE_SIZE] if args.huge else [])
    points = []
    started = time.perf_counter()
    for size in sizes:
        print(f"building {size:,} customers ...", flush=True)
        command = [sys.executable, __file__, "--one", str(size), "--workers", str(args.workers)]
        # the child's progress and errors go straight to this one's stderr
        done = subprocess.run(command + (["--reuse"] if args.reuse else []),
                              check=False, stdout=subprocess.PIPE, text=True)
        if done.returncode:
            raise SystemExit(f"{size:,} customers failed (its error is above)")
        point = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"  {point['build_s']} s ({point['build_cpu_s']} s CPU), "
              f"{point['bytes'] / 1e6:,.0f} MB, peak RSS {point['build_peak_rss_mb']:,.0f} MB",
              flush=True)
        points.append(point)
    carried = earlier_points(set(sizes)) if args.add else []
    points = sorted(carried + points, key=lambda point: point["customers"])
    projected = projection(points)
    headers = ["customers", "fingerprints", "build s", "build CPU s", "rows/s", "size MB",
               "B/customer", "build RSS MB", "worker RSS MB", "total RSS MB", "open ms",
               "lookup 1k p50 ms", "p99 ms", "950 absent p50 ms", "hits per 1k",
               "lookup 1 fp ms", "load"]
    rows: list[list[Any]] = [
        [p["customers"], p["fingerprints"], p["build_s"], p["build_cpu_s"], p["rows_per_s"],
         p["bytes"] / 1e6, p["bytes_per_customer"], p["build_peak_rss_mb"],
         p["worker_peak_rss_mb"], p.get("total_peak_rss_mb"), p["open_ms"],
         p["lookup_1000_ms_p50"],
         p["lookup_1000_ms_p99"], p["lookup_950_absent_ms_p50"], p["hits_per_lookup_1000"],
         p["lookup_1_ms_p50"], p["build_load_average_1m"]]
        for p in points
    ]
    tables.print_table("Index scale curve (measured)", headers, rows)
    print(f"\nprojected to {PROJECT_TO:,} customers:")
    for field in (*POWER_FIELDS, LINEAR_FIELD, LOG_FIELD):
        print(f"  {field}: {tables.format_cell(projected[field])} "
              f"(fit {projected[f'{field}_fit']})")
    aims = check_aims(points)
    run_s = round(time.perf_counter() - started, 1)
    print(f"\nwhole run: {run_s} s, 1-minute load average now {os.getloadavg()[0]:.2f}")
    results.write_result("scale", {"workers": args.workers, "rows": ROWS, "run_s": run_s,
                                  "points": points, "projection": projected, "aims": aims,
                                  "carried_from_earlier_run": [p["customers"] for p in carried]},
                        quick=args.quick)


def earlier_points(measured: set[int]) -> list[dict[str, Any]]:
    """The points of the committed scale result whose sizes were not measured in this run."""
    earlier = results.load_result("scale") or {}
    if earlier.get("rows") != ROWS:
        raise SystemExit("--add: bench/results/scale.json was measured with other rows; "
                         "run every size again")
    return [point for point in earlier.get("points", []) if point["customers"] not in measured]


if __name__ == "__main__":
    main()
