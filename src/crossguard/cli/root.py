"""The root click group; subcommands load on first use so `crossguard check` starts fast."""

from __future__ import annotations

import importlib

import click

#: Command name -> "module:attribute". Loaded only when the command runs (or --help lists it),
#: so checking one message never imports the gateway, the API or Dask.
COMMANDS: dict[str, str] = {
    "init": "crossguard.cli.init:init",
    "demo": "crossguard.cli.demo:demo",
    "index": "crossguard.cli.index:index",
    "check": "crossguard.cli.check:check",
    "explain": "crossguard.cli.check:explain",
    "serve": "crossguard.cli.serve:serve",
    "quarantine": "crossguard.cli.quarantine:quarantine",
    "queue": "crossguard.cli.queue:queue",
    "audit": "crossguard.cli.audit:audit",
    "incident": "crossguard.cli.incident:incident",
    "routing": "crossguard.cli.routing:routing",
    "token": "crossguard.cli.access:token",
    "user": "crossguard.cli.access:user",
    "verify": "crossguard.cli.verify:verify",
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported when first needed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module_name, _, attribute = COMMANDS[cmd_name].partition(":")
            command = getattr(importlib.import_module(module_name), attribute)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="crossguard")
def cli() -> None:
    """crossguard: stop one customer's personal data from reaching another customer."""
