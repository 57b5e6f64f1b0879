"""``--log-format text|json`` and ``--log-level`` for every ``serve`` command."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, msg (and the exception type, never its text)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "msg": record.getMessage(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            entry["exc_type"] = record.exc_info[0].__name__
        return json.dumps(entry, ensure_ascii=False)


def log_options(function: F) -> F:
    """Add ``--log-format`` and ``--log-level`` to a command."""
    function = click.option(
        "--log-level", type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"],
                                         case_sensitive=False),
        default="INFO", show_default=True, help="Least severe level logged.")(function)
    return click.option(
        "--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
        help="Log lines as text or as one JSON object per line.")(function)


def setup_logging(log_format: str, log_level: str) -> None:
    """Log to stderr in the chosen format; aiosmtpd's address-bearing INFO lines stay off."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json"
                         else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(log_level.upper())
    logging.getLogger("mail.log").setLevel(logging.WARNING)
