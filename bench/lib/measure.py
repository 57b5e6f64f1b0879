"""Measuring a run: single-threaded workers, percentiles, peak memory."""

from __future__ import annotations

import math
import os
import resource
from collections.abc import Sequence
from pathlib import Path

#: Every worker runs single-threaded (numeric libraries included): figures are per core.
SINGLE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
                 "OMP_THREAD_LIMIT": "1"}


def worker_env(**extra: str) -> dict[str, str]:
    """The environment for a benchmark worker process."""
    return {**os.environ, **SINGLE_THREAD, **extra}


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by linear interpolation; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100.0
    low = math.floor(position)
    high = math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def peak_rss_mb() -> float:
    """This process's peak RSS in MB (VmHWM: unlike ru_maxrss, not inherited across exec)."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
