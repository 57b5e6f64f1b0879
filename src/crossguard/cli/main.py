"""The `crossguard` command's entry point (commands are listed in cli/root.py)."""

from __future__ import annotations

import sys

from crossguard.cli.errors import run_guarded
from crossguard.cli.root import cli

__all__ = ["cli", "main"]


def main() -> None:
    """Console-script entry point: exit 2 with one line on stderr on any crossguard error."""
    sys.exit(run_guarded(cli))
