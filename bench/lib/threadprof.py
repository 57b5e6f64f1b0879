"""Run ``crossguard`` with every thread under cProfile on its own CPU clock.

    python bench/lib/threadprof.py OUT.pstats serve smtp ...

Each thread (the event loop's and every pool's) gets a ``cProfile.Profile``
timed by ``time.thread_time``, so the figures are CPU the gateway spent, not
time it waited; all of them are merged into one pstats file at exit (the
serve command exits on SIGTERM). Used by ``bench/gateway.py --profile``.
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import threading
import time

PROFILES: list[cProfile.Profile] = []
_RUN = threading.Thread.run


def _profiled(self: threading.Thread) -> None:
    profile = cProfile.Profile(time.thread_time)
    PROFILES.append(profile)
    profile.enable()
    try:
        _RUN(self)
    finally:
        profile.disable()


def main() -> None:
    out = sys.argv.pop(1)
    threading.Thread.run = _profiled  # type: ignore[method-assign]
    from crossguard.cli.main import main as crossguard

    sys.argv[0] = "crossguard"
    profile = cProfile.Profile(time.thread_time)
    PROFILES.append(profile)
    profile.enable()
    try:
        crossguard()
    except SystemExit:
        pass
    finally:
        profile.disable()
        for each in PROFILES:
            each.create_stats()
        pstats.Stats(*PROFILES).dump_stats(out)


if __name__ == "__main__":
    main()
