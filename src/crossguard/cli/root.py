"""The root click group and the registry of every subcommand."""

from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="crossguard")
def cli() -> None:
    """crossguard: stop one customer's personal data from reaching another customer."""
