"""Options shared by several commands, defined once, and the Settings built from them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from crossguard.config import Settings, load_settings
from crossguard.core.hostport import HostPort

F = TypeVar("F", bound=Callable[..., Any])


class HostPortType(click.ParamType[HostPort]):
    """A ``HOST:PORT`` argument, parsed like the settings field (a bad one names the option)."""

    name = "HOST:PORT"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> HostPort:
        if isinstance(value, HostPort):
            return value
        try:
            return HostPort.parse(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


HOST_PORT = HostPortType()


def config_option(function: F) -> F:
    """``--config FILE`` (default: $CROSSGUARD_CONFIG, then ./crossguard.toml)."""
    return click.option(
        "--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
        default=None, help="Settings file (default: $CROSSGUARD_CONFIG, then ./crossguard.toml).",
    )(function)


def json_option(function: F) -> F:
    """``--json``: machine-readable output on stdout."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(
        function
    )


def _index(required: bool, help_text: str) -> Callable[[F], F]:
    return click.option(
        "--index", "index_path", required=required, default=None, help=help_text,
        type=click.Path(path_type=Path, file_okay=False, exists=required),
    )


def index_option(function: F) -> F:
    """``--index DIR`` overriding the config's index.path."""
    return _index(False, "Customer index folder (default: index.path from the config).")(
        function)


def target_index_option(function: F) -> F:
    """``--index DIR`` (required): the existing index a command writes to."""
    return _index(True, "Index folder to update.")(function)


def listen_option(function: F) -> F:
    """``--listen HOST:PORT`` overriding the front end's listen setting."""
    return click.option("--listen", type=HOST_PORT, default=None,
                        help="Listen address (default: listen from the config).")(function)


def upstream_option(function: F) -> F:
    """``--upstream HOST:PORT`` overriding gateway.upstream."""
    return click.option("--upstream", type=HOST_PORT, default=None,
                        help="Upstream MTA to relay to (default: gateway.upstream).")(function)


def settings_for(config_path: Path | None, **overrides: dict[str, Any]) -> Settings:
    """The one Settings object of this command run, with command-line overrides applied.

    ``overrides`` maps a section name to its fields; a field given as None
    (option not used) keeps the file's value.
    """
    settings = load_settings(config_path)
    update: dict[str, Any] = {}
    for section, fields in overrides.items():
        given = {name: value for name, value in fields.items() if value is not None}
        if given:
            update[section] = getattr(settings, section).model_copy(update=given)
    return settings.model_copy(update=update) if update else settings
