"""Run ``crossguard serve milter`` as its own process for integration tests. No tests here."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from pathlib import Path

from tests.integration.support.net import free_port, wait_until


def write_config(folder: Path, index: Path, extra: str = "", **milter: str) -> Path:
    """A crossguard.toml for a milter: SQLite store in ``folder``, the test index.

    ``extra`` is more TOML (whole sections), ``milter`` the ``[milter]`` keys.
    """
    lines = "".join(f'{key} = "{value}"\n' for key, value in milter.items())
    path = folder / "crossguard.toml"
    path.write_text(f"""\
[store]
url = "sqlite:///{folder / 'store.db'}"
spool_dir = "{folder / 'spool'}"
[index]
path = "{index}"
[policy]
company_domains = ["example.com"]
{extra}
[milter]
{lines}""", encoding="utf-8")
    return path


def listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


class MilterProcess:
    """``crossguard serve milter`` on a free port; ``kill()`` is SIGKILL, ``start()`` restarts."""

    def __init__(self, config: Path, log: Path, port: int | None = None) -> None:
        self.config, self.log = config, log
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> MilterProcess:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "crossguard.cli", "serve", "milter",
                 "--listen", f"inet:127.0.0.1:{self.port}", "--config", str(self.config)],
                stdout=log, stderr=log)
        assert wait_until(lambda: listening(self.port), timeout=60), self.log.read_text()
        return self

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(30)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(30)
            self.process = None
