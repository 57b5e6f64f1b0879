"""The index build's disk-bound stages at full size: spill, id resolution, merge, write.

``bench/scale.py --huge`` builds 100M customers end to end; on a shared
2-core machine its fingerprinting (CPU per row, flat in memory) can take
hours. This bench runs the real ``build_index`` with the fingerprinting of
each chunk replaced by numpy-made chunks of the same shape: 13 random
fingerprints per customer, ids ``C0000000001``..., every 100th row repeating
the previous row's customer id (so the duplicate merge, the largest memory
of the build, runs at full size). Everything after fingerprinting is the
build's own: keyed id hashes, the run spool, the id spool's resolution, the
k-way merge and the segment write. Peak RSS is the build's (one process:
no workers), progress goes to stderr. 10M customers by default (1M with
``--quick``); the 100M run is ``--customers 100000000`` (about 40 GB of disk).

    .venv/bin/python bench/scale_merge.py [--quick] [--customers 100000000] [--dir /work/scale]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from lib import measure, results

from crossguard.core.kinds import IndexKind
from crossguard.index import build
from crossguard.index.customer_index import CustomerIndex
from crossguard.index.fingerprint import KIND_MASK
from crossguard.index.id_spool import id_hashes

KEY = bytes(range(32))
FPS_PER_CUSTOMER = 13
REPEAT_EVERY = 100
ID_DIGITS = 10
RSS_AIM_MB = 8 * 1024


@dataclass(frozen=True, slots=True)
class Batch:
    """Rows ``start`` to ``start + count`` of the synthetic table."""

    start: int
    count: int


@dataclass(frozen=True, slots=True)
class SyntheticRows:
    """A table of ``count`` rows handed out as batches (build.BatchedRows)."""

    count: int

    def __iter__(self) -> Iterator[tuple[int, dict[str, list[str]]]]:
        raise TypeError("synthetic rows come only in batches")

    def batches(self, size: int) -> Iterator[Batch]:
        for start in range(0, self.count, size):
            yield Batch(start, min(size, self.count - start))


def synthetic_chunk(batch: Batch, key: bytes, country: str) -> build._Chunk:
    """A fingerprinted chunk as build._fingerprint_chunk returns one, made with numpy."""
    numbers = np.arange(batch.start, batch.start + batch.count, dtype=np.int64)
    numbers -= (numbers % REPEAT_EVERY == REPEAT_EVERY - 1) & (numbers > 0)
    digits = (numbers[:, None] // 10 ** np.arange(ID_DIGITS - 1, -1, -1)) % 10 + ord("0")
    text = np.concatenate([np.full((len(numbers), 1), ord("C")), digits], axis=1)
    blob = text.astype(np.uint8).tobytes()
    width = ID_DIGITS + 1
    ids = [blob[at : at + width] for at in range(0, len(blob), width)]
    rng = np.random.default_rng(batch.start)
    kinds = np.array([int(kind) for kind in IndexKind], dtype=np.uint64)
    fps = (rng.integers(0, 2**64, batch.count * FPS_PER_CUSTOMER, dtype=np.uint64,
                        endpoint=False) & ~np.uint64(KIND_MASK)) | rng.choice(
        kinds, batch.count * FPS_PER_CUSTOMER)
    rows = np.repeat(np.arange(batch.count, dtype=np.uint32), FPS_PER_CUSTOMER)
    chunk = build._Chunk(blob, np.full(len(ids), width, np.uint32), id_hashes(ids, key),
                         fps, rows, [], read=batch.count)
    chunk.countries[country] = batch.count
    return chunk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=10_000_000)
    parser.add_argument("--dir", type=Path, default=results.CACHE / "scale-merge")
    parser.add_argument("--quick", action="store_true", help="1M customers")
    args = parser.parse_args()
    size = 1_000_000 if args.quick else args.customers
    out = args.dir / f"merge-{size}"
    shutil.rmtree(out, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    build._fingerprint_chunk = synthetic_chunk  # type: ignore[assignment]
    done = 0
    started = time.perf_counter()

    def progress(rows: int) -> None:
        nonlocal done
        done += rows
        if done % 5_000_000 < rows or done == size:
            print(f"[{time.strftime('%H:%M:%S')}] spilled {done:,}/{size:,} rows, "
                  f"{time.perf_counter() - started:,.0f} s, "
                  f"peak RSS {measure.peak_rss_mb():,.0f} MB", file=sys.stderr, flush=True)

    cpu = time.process_time()
    report = build.build_index(SyntheticRows(size), out, KEY, progress=progress)
    build_s, build_cpu_s = time.perf_counter() - started, time.process_time() - cpu
    peak = measure.peak_rss_mb()
    size_bytes = sum(path.stat().st_size for path in out.iterdir())
    opens = []
    for _ in range(21):
        begun = time.perf_counter()
        CustomerIndex.open(out, KEY)
        opens.append((time.perf_counter() - begun) * 1000.0)
    figures = {
        "customers": report.customers, "rows": report.rows,
        "duplicates": report.duplicates, "fingerprints": report.fingerprints,
        "build_s": round(build_s, 1), "build_cpu_s": round(build_cpu_s, 1),
        "bytes": size_bytes, "build_peak_rss_mb": round(peak, 1),
        "open_ms": round(measure.percentile(opens, 50), 3),
        "rss_aim_mb": RSS_AIM_MB, "rss_pass": peak <= RSS_AIM_MB,
    }
    for name, value in figures.items():
        print(f"{name:<20}{value!s:>16}")
    print(f"build peak RSS <= {RSS_AIM_MB:,} MB: {'pass' if peak <= RSS_AIM_MB else 'short'}")
    results.write_result("scale_merge", figures, quick=args.quick)
    shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
