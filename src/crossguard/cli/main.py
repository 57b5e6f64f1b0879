"""The `crossguard` command: the root group with every area's commands registered."""

from __future__ import annotations

import sys

from crossguard.cli.access import token, user
from crossguard.cli.audit import audit
from crossguard.cli.check import check, explain
from crossguard.cli.demo import demo
from crossguard.cli.errors import run_guarded
from crossguard.cli.incident import incident
from crossguard.cli.index import index
from crossguard.cli.init import init
from crossguard.cli.quarantine import quarantine
from crossguard.cli.root import cli
from crossguard.cli.routing import routing
from crossguard.cli.serve import serve

__all__ = ["cli", "main"]

cli.add_command(init)
cli.add_command(demo)
cli.add_command(index)
cli.add_command(check)
cli.add_command(explain)
cli.add_command(routing)
cli.add_command(serve)
cli.add_command(quarantine)
cli.add_command(audit)
cli.add_command(token)
cli.add_command(user)
cli.add_command(incident)


def main() -> None:
    """Console-script entry point: exit 2 with one line on stderr on any crossguard error."""
    sys.exit(run_guarded(cli))
