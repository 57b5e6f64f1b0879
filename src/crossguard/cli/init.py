"""`crossguard init`: a commented crossguard.toml and a fresh secret key file (mode 0600)."""

from __future__ import annotations

import secrets
from pathlib import Path

import click

from crossguard.config_doc import default_toml
from crossguard.core.private import open_private, private_parents, write_private
from crossguard.errors import ConfigError

KEY_BYTES = 32


def write_key_file(path: Path) -> None:
    """Create ``path`` with a new random key, readable by the owner only."""
    with open_private(path, "x", encoding="ascii") as handle:
        handle.write(secrets.token_hex(KEY_BYTES) + "\n")


@click.command()
@click.option("--dir", "directory", type=click.Path(path_type=Path, file_okay=False),
              default=Path("."), show_default=True, help="Folder to write the files in.")
@click.option("--force", is_flag=True,
              help="Overwrite an existing crossguard.toml (never the key).")
def init(directory: Path, force: bool) -> None:
    """Write crossguard.toml and crossguard.key (0600) in DIR."""
    config = directory / "crossguard.toml"
    private_parents(config)
    key = directory / "crossguard.key"
    if config.exists() and not force:
        raise ConfigError(f"{config}: already exists (use --force to overwrite)")
    write_private(config, default_toml(key.name))
    if key.exists():
        click.echo(f"kept existing key {key}")
    else:
        write_key_file(key)
        click.echo(f"wrote {key} (mode 0600): keep it secret, back it up")
    click.echo(f"wrote {config}")
