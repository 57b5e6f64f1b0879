"""The milter process: listen on ``inet:HOST:PORT`` or ``unix:/path``, serve each MTA connection."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from crossguard.errors import ConfigError
from crossguard.gateway.checker import Checker
from crossguard.gateway.metrics import MailMetrics
from crossguard.gateway.milter.decider import MilterDecider
from crossguard.gateway.milter.session import serve_connection
from crossguard.gateway.settings import MilterSettings
from crossguard.store.store import Store

log = logging.getLogger("crossguard.milter")


def parse_listen(value: str) -> tuple[str, str, int]:
    """``inet:HOST:PORT`` -> ("inet", host, port); ``unix:/path`` -> ("unix", path, 0).

    Sendmail's ``inet:PORT@HOST`` is accepted too.
    """
    kind, sep, rest = value.partition(":")
    if kind == "unix" and sep and rest:
        return "unix", rest, 0
    if kind in ("inet", "inet6") and sep:
        if "@" in rest:
            port, _, host = rest.partition("@")
        else:
            host, _, port = rest.rpartition(":")
        if port.isdigit() and host and int(port) < 65536:
            return "inet", host.strip("[]"), int(port)
    raise ConfigError(f"milter.listen: expected inet:HOST:PORT or unix:/path, got {value!r}")


class Milter:
    """One milter instance bound to a checker and a store."""

    def __init__(self, settings: MilterSettings, checker: Checker, store: Store) -> None:
        self.settings = settings
        self.store = store
        self._check_pool = ThreadPoolExecutor(settings.check_workers, "cg-milter-check")
        self.metrics = MailMetrics("milter")
        self.decider = MilterDecider(checker, store, settings, self._check_pool, self.metrics)
        self.metrics_port = 0
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self.port = 0

    async def _connection(self, reader: asyncio.StreamReader,
                          writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        try:
            await serve_connection(reader, writer, self.decider,
                                   self.settings.max_message_bytes)
        finally:
            self._connections.discard(task)

    async def start(self) -> None:
        """Listen; a stale unix socket file is replaced."""
        kind, where, port = parse_listen(self.settings.listen)
        if kind == "unix":
            path = Path(where)
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            self._server = await asyncio.start_unix_server(self._connection, path)
            os.chmod(path, int(self.settings.socket_mode, 8))
        else:
            self._server = await asyncio.start_server(self._connection, where, port)
            self.port = self._server.sockets[0].getsockname()[1]
        if self.settings.metrics_listen is not None:
            self.metrics_port = self.metrics.serve(self.settings.metrics_listen)
        log.info("milter listening on %s", self.settings.listen if kind == "unix"
                 else f"inet:{where}:{self.port}")

    async def stop(self) -> None:
        """Stop listening, let messages being decided finish, release the store."""
        if self._server is not None:
            self._server.close()
        if self._connections:
            await asyncio.wait(set(self._connections), timeout=self.settings.check_timeout_seconds)
        self.metrics.close()
        self._check_pool.shutdown(wait=False, cancel_futures=True)
        self.store.close()
