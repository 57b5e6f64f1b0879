"""crossguard side of the speed benchmark: the same protocol as presidio_worker.py.

Reads a JSON corpus (a list of raw RFC 5322 messages as strings), builds one
engine, warms it up, runs every message once and writes a JSON result:
start-up time, per-message latency, peak RSS, and the verdict actions.

    python crossguard_worker.py --engine detect|guard --input C.json --output R.json
        [--index DIR] [--warmup N] [--spawned EPOCH] [--profile STATS]

``detect``: ``DetectorSet.scan`` over the whole message text (what Presidio
is given). ``guard``: ``Guard.check`` on the message bytes: parse, detect,
attribute against ``--index`` (key from ``$CROSSGUARD_KEY``), policy.
``guard-bodies``: the same with the fields outside body parts (headers, display
names, file names, properties; issue 21) left unread and file names unmasked,
as crossguard read messages before: the cost of reading them is the difference.
``--profile STATS``: the timed loop runs under cProfile, whose stats go to STATS
(bench/speed.py --profile reads them by stage).
"""

from __future__ import annotations

import argparse
import cProfile
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
    if engine == "guard-bodies":
        bodies_only()
    settings = Settings.model_validate({"policy": {"company_domains": ["example.com"]}})
    guard = Guard.from_settings(settings, index_path=index)

    def check(text: str) -> str:
        return guard.check(text.encode("utf-8"), mail_from=SENDER, rcpts=[RCPT]).action

    return check


def bodies_only() -> None:
    """Read body parts only: no field parts, file names kept as they are (a baseline)."""
    from crossguard.message import parse
    from crossguard.message.context import ParseContext

    parse.read_fields = lambda entity, message, limit: None  # type: ignore[assignment]
    ParseContext.add_field = lambda self, path, text: None  # type: ignore[method-assign]
    Guard.mask_name = lambda self, name: name  # type: ignore[method-assign]


def peak_rss_mb() -> float:
    """This process's peak RSS (VmHWM): unlike ru_maxrss it does not inherit the parent's."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main() -> None:
    """Run the corpus and write the result JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", required=True, choices=["detect", "guard", "guard-bodies"])
    parser.add_argument("--input", required=True, type=Path)
    parser.add_argument("--output", required=True, type=Path)
    parser.add_argument("--index", type=Path, default=None)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--spawned", type=float, default=0.0, help="parent's time.time() at spawn")
    parser.add_argument("--profile", type=Path, default=None, help="write cProfile stats here")
    args = parser.parse_args()

    run = build(args.engine, args.index)
    loaded = time.time()
    texts: list[str] = json.loads(args.input.read_text(encoding="utf-8"))
    for text in texts[: args.warmup]:
        run(text)
    latencies: list[float] = []
    outcomes: Counter[str] = Counter()
    profiler = cProfile.Profile() if args.profile else None
    if profiler is not None:
        profiler.enable()
    cpu_started = time.process_time()
    for text in texts:
        started = time.perf_counter()
        outcome = run(text)
        latencies.append((time.perf_counter() - started) * 1000.0)
        outcomes[outcome if args.engine.startswith("guard") else "scanned"] += 1
    cpu_seconds = time.process_time() - cpu_started
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    out = {
        "engine": args.engine,
        "cpu_seconds": round(cpu_seconds, 4),
        "startup_s": round(loaded - args.spawned, 3) if args.spawned else None,
        "latencies_ms": [round(value, 4) for value in latencies],
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "outcomes": dict(outcomes),
    }
    args.output.write_text(json.dumps(out), encoding="utf-8")


if __name__ == "__main__":
    main()
