"""`crossguard serve api`: the HTTP API and the review dashboard."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from crossguard.config import CONFIG_ENV, Settings, load_settings

_FILE = click.Path(dir_okay=False, path_type=Path)


def api_settings(config: Path | None, listen: str | None) -> Settings:
    """Settings with ``--listen`` applied; api paths are relative to the config's folder."""
    settings = load_settings(config)
    source = config or (Path(os.environ[CONFIG_ENV]) if os.environ.get(CONFIG_ENV) else None)
    base = source.parent if source is not None else Path.cwd()

    def resolve(path: Path | None) -> Path | None:
        return path if path is None or path.is_absolute() else base / path

    api = settings.api.model_copy(update={
        "reports_dir": resolve(settings.api.reports_dir),
        "session_secret_file": resolve(settings.api.session_secret_file),
        **({"listen": listen} if listen else {}),
    })
    return settings.model_copy(update={"api": api})


@click.command(name="api")
@click.option("--listen", metavar="HOST:PORT", help="Listen address (default 127.0.0.1:8025).")
@click.option("--config", type=_FILE, help="crossguard.toml (default $CROSSGUARD_CONFIG).")
def serve_api(listen: str | None, config: Path | None) -> None:
    """Run the HTTP API (OpenAPI at /openapi.json) and the dashboard (/ui)."""
    from crossguard.api.server import serve, split_listen
    from crossguard.app import create_app

    settings = api_settings(config, listen)
    split_listen(settings.api.listen)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_app(settings)
    click.echo(f"crossguard: API on http://{settings.api.listen} (dashboard /ui, "
               "OpenAPI /openapi.json)", err=True)
    try:
        serve(app, settings.api.listen)
    finally:
        app.state.crossguard.store.close()
