"""crossguard side of the speed benchmark: the same protocol as presidio_worker.py.

Reads a JSON corpus (a list of raw RFC 5322 messages as strings), builds one
engine, warms it up, runs every message once and writes a JSON result:
start-up time, per-message latency, peak RSS, and the verdict actions.

    python crossguard_worker.py --engine detect|guard --input C.json --output R.json
        [--index DIR] [--warmup N] [--spawned EPOCH]

``detect``: ``DetectorSet.scan`` over the whole message text (what Presidio
is given). ``guard``: ``Guard.check`` on the message bytes: parse, detect,
attribute against ``--index`` (key from ``$CROSSGUARD_KEY``), policy.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from crossguard.config import Settings
from crossguard.detect import DetectorSet
from crossguard.detect.settings import DetectSettings
from crossguard.scan import Guard

RCPT = "customer@example.net"
SENDER = "care.team@example.com"


def build(engine: str, index: Path | None) -> Callable[[str], str]:
    """A function running one message through ``engine``; returns what it decided."""
    if engine == "detect":
        detectors = DetectorSet.from_settings(DetectSettings())
        return lambda text: str(len(detectors.scan(text, "1")))
    settings = Settings.model_validate({"policy": {"company_domains": ["example.com"]}})
    guard = Guard.from_settings(settings, index_path=index)

    def check(text: str) -> str:
        return guard.check(text.encode("utf-8"), mail_from=SENDER, rcpts=[RCPT]).action

    return check


def peak_rss_mb() -> float:
    """This process's peak RSS (VmHWM): unlike ru_maxrss it does not inherit the parent's."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main() -> None:
    """Run the corpus and write the result JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", required=True, choices=["detect", "guard"])
    parser.add_argument("--input", required=True, type=Path)
    parser.add_argument("--output", required=True, type=Path)
    parser.add_argument("--index", type=Path, default=None)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--spawned", type=float, default=0.0, help="parent's time.time() at spawn")
    args = parser.parse_args()

    run = build(args.engine, args.index)
    loaded = time.time()
    texts: list[str] = json.loads(args.input.read_text(encoding="utf-8"))
    for text in texts[: args.warmup]:
        run(text)
    latencies: list[float] = []
    outcomes: Counter[str] = Counter()
    for text in texts:
        started = time.perf_counter()
        outcome = run(text)
        latencies.append((time.perf_counter() - started) * 1000.0)
        outcomes[outcome if args.engine == "guard" else "scanned"] += 1
    out = {
        "engine": args.engine,
        "startup_s": round(loaded - args.spawned, 3) if args.spawned else None,
        "latencies_ms": [round(value, 4) for value in latencies],
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "outcomes": dict(outcomes),
    }
    args.output.write_text(json.dumps(out), encoding="utf-8")


if __name__ == "__main__":
    main()
