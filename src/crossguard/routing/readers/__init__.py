"""Directory readers: one per vendor format, all producing :class:`ReadResult`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from crossguard.errors import ConfigError
from crossguard.routing.model import ReadResult
from crossguard.routing.readers.m365 import read_m365
from crossguard.routing.readers.neutral import read_neutral
from crossguard.routing.readers.postfix import logical_lines, read_aliases, read_virtual
from crossguard.routing.readers.workspace import looks_like_workspace, read_workspace

FORMATS = ("neutral", "postfix-virtual", "postfix-aliases", "workspace", "m365")

Reader = Callable[[Path, str, "str | None"], ReadResult]

_READERS: dict[str, Reader] = {
    "neutral": lambda path, text, _domain: read_neutral(path, text),
    "postfix-virtual": read_virtual,
    "postfix-aliases": read_aliases,
    "workspace": lambda path, text, _domain: read_workspace(path, text),
    "m365": lambda path, text, _domain: read_m365(path, text),
}


def detect_format(path: Path, text: str) -> str:
    """Guess the format: YAML is neutral, JSON neutral or Workspace, CSV Exchange, else Postfix."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "neutral"
    if suffix == ".json" or text.lstrip().startswith(("{", "[")):
        return "workspace" if looks_like_workspace(text) else "neutral"
    if suffix == ".csv":
        return "m365"
    first = next(logical_lines(text), (0, ""))[1]
    key = first.split(None, 1)[0] if first else ""
    return "postfix-aliases" if ":" in key else "postfix-virtual"


def read_source(path: Path, fmt: str | None, default_domain: str | None) -> ReadResult:
    """Read one file in ``fmt`` (None: detect); raises ConfigError when it cannot be read."""
    if fmt is not None and fmt not in _READERS:
        raise ConfigError(f"{path}: unknown directory format {fmt!r} (one of {', '.join(FORMATS)})")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read ({error})") from None
    return _READERS[fmt or detect_format(path, text)](path, text, default_domain)
