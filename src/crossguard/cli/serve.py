"""`crossguard serve`: long-running front ends (`serve smtp` here; others add commands)."""

from __future__ import annotations

from pathlib import Path

import click

from crossguard.cli.api import serve_api
from crossguard.cli.logs import log_options, setup_logging
from crossguard.cli.milter import serve_milter
from crossguard.cli.options import (
    config_option,
    index_option,
    listen_option,
    settings_for,
    upstream_option,
)
from crossguard.cli.serving import serve_forever
from crossguard.core.hostport import HostPort


@click.group(name="serve")
def serve() -> None:
    """Run a front end: the SMTP gateway, the milter or the HTTP API."""


serve.add_command(serve_api)
serve.add_command(serve_milter)


@serve.command(name="smtp")
@listen_option
@upstream_option
@index_option
@config_option
@log_options
def smtp(listen: HostPort | None, upstream: HostPort | None, index_path: Path | None,
         config_path: Path | None, log_format: str, log_level: str) -> None:
    """Run the SMTP gateway: check every message, relay, hold or refuse it."""
    from crossguard.gateway.clients import check_clients
    from crossguard.gateway.notice import Notifier
    from crossguard.gateway.server import Gateway, instance_name
    from crossguard.reload import LiveGuard
    from crossguard.store.store import Store

    settings = settings_for(config_path, gateway={"listen": listen, "upstream": upstream},
                            index={"path": index_path})
    check_clients(settings.gateway)
    setup_logging(log_format, log_level)
    store = Store.from_settings(settings, instance=instance_name(settings.gateway))
    live = LiveGuard(settings, counter=store.counter)
    notifier = Notifier(settings.gateway, settings.policy.company_domains)
    gateway = Gateway(settings.gateway, live, store, store_pool=settings.store.pool_size,
                      notifier=notifier, retention_days=settings.store.quarantine_days)
    serve_forever(gateway, live)  # the gateway logs "listening on HOST:PORT" once bound
