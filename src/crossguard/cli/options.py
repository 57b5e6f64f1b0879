"""Options shared by several commands, and building Settings / Guard from them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from crossguard.config import Settings, load_settings

F = TypeVar("F", bound=Callable[..., Any])


def config_option(function: F) -> F:
    """``--config FILE`` (default: $CROSSGUARD_CONFIG, then ./crossguard.toml)."""
    return click.option(
        "--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
        default=None, help="Settings file (default: $CROSSGUARD_CONFIG, then ./crossguard.toml).",
    )(function)


def index_option(function: F) -> F:
    """``--index INDEX`` (default: the config's index.path)."""
    return click.option(
        "--index", "index_path", type=click.Path(path_type=Path), default=None,
        help="Customer index folder (default: index.path from the config).",
    )(function)


def json_option(function: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(
        function
    )


def settings_for(config_path: Path | None) -> Settings:
    """The one Settings object of this command run."""
    return load_settings(config_path)
