"""Where benchmarks keep things, the machine they ran on, and their result files."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parents[1]
ROOT = BENCH.parent
RESULTS = BENCH / "results"
CACHE = BENCH / ".cache"
SHARED_DATA = ROOT.parent / "shared" / "data"


def index_opens(path: Path, key: bytes) -> bool:
    """Whether the index folder ``path`` exists and opens with this crossguard and ``key``
    (an index cached by an older checkout, of an older format, does not: build it again)."""
    from crossguard.errors import CrossguardError
    from crossguard.index.customer_index import CustomerIndex

    try:
        CustomerIndex.open(path, key)
    except CrossguardError:
        return False
    return True


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo (or the platform's guess)."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def crossguard_version() -> str:
    """crossguard's version and git commit."""
    try:
        version = metadata.version("crossguard")
    except metadata.PackageNotFoundError:
        version = "unknown"
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, check=False, timeout=10,
        ).stdout.strip()
    except OSError:
        commit = ""
    return f"{version} ({commit})" if commit else version


def machine() -> dict[str, Any]:
    """Cores, CPU model, memory, OS and Python of this machine."""
    pages = os.sysconf("SC_PHYS_PAGES") if hasattr(os, "sysconf") else 0
    page_size = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 0
    return {
        "cores": os.cpu_count(),
        "cpu": cpu_model(),
        "memory_gb": round(pages * page_size / 2**30, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def write_result(name: str, data: dict[str, Any], *, quick: bool) -> Path:
    """Write ``bench/results/<name>.json`` atomically, stamped with machine, date and mode."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamped = {
        "name": name,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": quick,
        "machine": machine(),
        "crossguard": crossguard_version(),
        **data,
    }
    path = RESULTS / f"{name}.json"
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(stamped, indent=2) + "\n", encoding="utf-8")
    temporary.replace(path)
    print(f"wrote {path.relative_to(ROOT)}")
    return path


def load_result(name: str) -> dict[str, Any] | None:
    """A result file's content, or None when that benchmark has not run."""
    path = RESULTS / f"{name}.json"
    try:
        loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    return loaded
