"""The `crossguard` command: the root group with every area's commands registered."""

from __future__ import annotations

import sys

from crossguard.cli.errors import run_guarded
from crossguard.cli.root import cli
from crossguard.cli.routing import routing

__all__ = ["cli", "main"]

cli.add_command(routing)


def main() -> None:
    """Console-script entry point: exit 2 with one line on stderr on any crossguard error."""
    sys.exit(run_guarded(cli))
