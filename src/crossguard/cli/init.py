"""`crossguard init`: a commented crossguard.toml and a fresh secret key file (mode 0600)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import click

from crossguard.config_doc import default_toml
from crossguard.errors import ConfigError

KEY_BYTES = 32


def write_key_file(path: Path) -> None:
    """Create ``path`` with a new random key, readable by the owner only."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(KEY_BYTES) + "\n")


@click.command()
@click.option("--dir", "directory", type=click.Path(path_type=Path, file_okay=False),
              default=Path("."), show_default=True, help="Folder to write the files in.")
@click.option("--force", is_flag=True,
              help="Overwrite an existing crossguard.toml (never the key).")
def init(directory: Path, force: bool) -> None:
    """Write crossguard.toml and crossguard.key (0600) in DIR."""
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "crossguard.toml"
    key = directory / "crossguard.key"
    if config.exists() and not force:
        raise ConfigError(f"{config}: already exists (use --force to overwrite)")
    config.write_text(default_toml(key.name), encoding="utf-8")
    if key.exists():
        click.echo(f"kept existing key {key}")
    else:
        write_key_file(key)
        click.echo(f"wrote {key} (mode 0600): keep it secret, back it up")
    click.echo(f"wrote {config}")
