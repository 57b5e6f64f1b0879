"""Plain-language words for kinds of data, per letter language (data/wording.toml).

What a kind is called, what could happen to the person whose data it is, and
what they can do. The tables are data, so a privacy officer can reword them
without touching code.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from functools import cache
from importlib.resources import files

DEFAULT_LANGUAGE = "en"
#: The table of sentences written for the supervisory authority, not the person.
REGULATOR = "regulator"


@cache
def _tables() -> dict[str, dict[str, dict[str, str]]]:
    text = files("crossguard.incident").joinpath("data/wording.toml").read_text("utf-8")
    return tomllib.loads(text)


def languages() -> list[str]:
    """The languages the wording (and the built-in letter templates) exist in."""
    return sorted(name for name, tables in _tables().items() if "kinds" in tables)


def word(kind: str, language: str = DEFAULT_LANGUAGE) -> str:
    """What ``kind`` is called in ``language`` (its code in lower case when not listed)."""
    return _table(language, "kinds").get(kind, kind.lower().replace("_", " "))


def consequences(kinds: Iterable[str], language: str = DEFAULT_LANGUAGE) -> list[str]:
    """The likely consequences of exposing ``kinds``, each sentence once, in kind order."""
    return _sentences(kinds, language, "consequences")


def advice(kinds: Iterable[str], language: str = DEFAULT_LANGUAGE) -> list[str]:
    """What the person can do about ``kinds`` being exposed, each sentence once."""
    return _sentences(kinds, language, "advice")


def _sentences(kinds: Iterable[str], language: str, table: str) -> list[str]:
    found = _table(language, table)
    return list(dict.fromkeys(found[kind] for kind in sorted(set(kinds)) if kind in found))


def _table(language: str, table: str) -> dict[str, str]:
    tables = _tables()
    return tables.get(language, tables[DEFAULT_LANGUAGE]).get(table, {})
