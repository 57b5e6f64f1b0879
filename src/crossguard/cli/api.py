"""`crossguard serve api`: the HTTP API and the review dashboard."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from crossguard.cli.options import config_option, listen_option, settings_for
from crossguard.core.hostport import HostPort


@click.command(name="api")
@listen_option
@config_option
def serve_api(listen: HostPort | None, config_path: Path | None) -> None:
    """Run the HTTP API (OpenAPI at /openapi.json) and the dashboard (/ui)."""
    from crossguard.api.server import serve
    from crossguard.app import create_app
    from crossguard.verify.base import VerifyContext
    from crossguard.verify.purge import Sweeper

    settings = settings_for(config_path, api={"listen": listen})
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_app(settings)
    store = app.state.crossguard.store
    sweeper = Sweeper(VerifyContext.of(store, settings.secret_key(), settings.verify),
                      settings.verify.sweep_seconds).start()
    click.echo(f"crossguard: API on http://{settings.api.listen} (dashboard /ui, "
               "OpenAPI /openapi.json)", err=True)
    try:
        serve(app, settings.api.listen)
    finally:
        sweeper.stop()
        store.close()
