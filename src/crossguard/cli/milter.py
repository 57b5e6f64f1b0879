"""`crossguard serve milter`: the milter for Postfix's smtpd_milters (or Sendmail)."""

from __future__ import annotations

from pathlib import Path

import click

from crossguard.cli.logs import log_options, setup_logging
from crossguard.cli.options import config_option, index_option, settings_for
from crossguard.cli.serving import serve_forever


@click.command(name="milter")
@click.option("--listen", metavar="inet:HOST:PORT|unix:PATH",
              help="Listen address (default: milter.listen, inet:127.0.0.1:8897).")
@index_option
@config_option
@log_options
def serve_milter(listen: str | None, index_path: Path | None, config_path: Path | None,
                 log_format: str, log_level: str) -> None:
    """Run the milter: check every message the MTA receives; continue, hold or refuse it."""
    from crossguard.gateway.milter.server import Milter, parse_listen
    from crossguard.reload import LiveGuard
    from crossguard.store.store import Store

    settings = settings_for(config_path, milter={"listen": listen}, index={"path": index_path})
    parse_listen(settings.milter.listen)
    setup_logging(log_format, log_level)
    store = Store.from_settings(settings, instance=f"milter:{settings.milter.listen}")
    live = LiveGuard(settings, counter=store.counter)
    milter = Milter(settings.milter, live, store)
    serve_forever(milter, live, lambda: f"crossguard: milter listening on {settings.milter.listen}"
                  + (f" (port {milter.port})" if milter.port else ""))
