"""`crossguard serve`: long-running front ends (`serve smtp` here; others add commands)."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from pathlib import Path

import click

from crossguard.cli.api import serve_api
from crossguard.config import Settings, load_settings

_FILE = click.Path(dir_okay=False, path_type=Path)


@click.group(name="serve")
def serve() -> None:
    """Run a front end: the SMTP gateway or the HTTP API."""


serve.add_command(serve_api)


def gateway_settings(config: Path | None, listen: str | None, upstream: str | None,
                     index: Path | None) -> Settings:
    """Settings from the file with the command-line overrides applied."""
    settings = load_settings(config)
    gateway_update = {key: value for key, value in (("listen", listen), ("upstream", upstream))
                      if value is not None}
    update: dict[str, object] = {"gateway": settings.gateway.model_copy(update=gateway_update)}
    if index is not None:
        update["index"] = settings.index.model_copy(update={"path": index})
    return settings.model_copy(update=update)


@serve.command(name="smtp")
@click.option("--listen", metavar="HOST:PORT", help="Listen address (default 127.0.0.1:10025).")
@click.option("--upstream", metavar="HOST:PORT", help="Upstream MTA to relay to.")
@click.option("--index", type=click.Path(exists=True, path_type=Path),
              help="Customer index folder (overrides index.path).")
@click.option("--config", type=_FILE, help="crossguard.toml (default $CROSSGUARD_CONFIG).")
def smtp(listen: str | None, upstream: str | None, index: Path | None,
         config: Path | None) -> None:
    """Run the SMTP gateway: check every message, relay, hold or refuse it."""
    from crossguard.gateway.server import Gateway, instance_name
    from crossguard.scan import Guard
    from crossguard.store.store import Store

    settings = gateway_settings(config, listen, upstream, index)
    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs addresses at INFO
    store = Store.from_settings(settings, instance=instance_name(settings))
    guard = Guard.from_settings(settings, counter=store.counter)
    gateway = Gateway(settings, guard, store)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        await gateway.serve(stop)  # logs "listening on HOST:PORT" once bound

    asyncio.run(main())
