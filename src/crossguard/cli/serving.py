"""Run a long-lived front end until SIGTERM/SIGINT; SIGHUP and file changes reload its Guard."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable
from typing import Protocol

import click

from crossguard.reload import LiveGuard


class Service(Protocol):
    """A front end with an async start and stop (the gateway, the milter)."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


def serve_forever(service: Service, live: LiveGuard,
                  banner: Callable[[], str] | None = None) -> None:
    """Start ``service``, print ``banner()``, reload ``live`` on SIGHUP, stop on SIGTERM."""

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        loop.add_signal_handler(signal.SIGHUP,
                                lambda: loop.run_in_executor(None, live.reload, "SIGHUP"))
        await service.start()
        if banner is not None:
            click.echo(banner(), err=True)
        live.start_watching()
        try:
            await stop.wait()
        finally:
            live.stop_watching()
            await service.stop()

    asyncio.run(main())
