"""The bench scripts' folder on sys.path, as when a script runs (``lib``, ``peer``, ``run_all``).

Only the bench folder: the bench scripts import crossguard as installed, never the repo root.
"""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))
