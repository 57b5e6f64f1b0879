"""`crossguard serve api`: the HTTP API and the review dashboard."""

from __future__ import annotations

from pathlib import Path

import click

from crossguard.cli.logs import log_options, setup_logging
from crossguard.cli.options import config_option, listen_option, settings_for
from crossguard.core.hostport import HostPort


@click.command(name="api")
@listen_option
@config_option
@log_options
def serve_api(listen: HostPort | None, config_path: Path | None, log_format: str,
              log_level: str) -> None:
    """Run the HTTP API (OpenAPI at /openapi.json) and the dashboard (/ui)."""
    from crossguard.api.server import listen_socket, serve
    from crossguard.app import create_app
    from crossguard.verify.base import VerifyContext
    from crossguard.verify.purge import Sweeper

    settings = settings_for(config_path, api={"listen": listen})
    setup_logging(log_format, log_level)
    with listen_socket(settings.api.listen) as sock:
        app = create_app(settings)
        store = app.state.crossguard.store
        sweeper = Sweeper(VerifyContext.of(store, settings.secret_key(), settings.verify),
                          settings.verify.sweep_seconds).start()
        click.echo(f"crossguard: API on http://{settings.api.listen} (dashboard /ui, "
                   "OpenAPI /openapi.json)", err=True)
        try:
            serve(app, sock)
        finally:
            sweeper.stop()
            store.close()
