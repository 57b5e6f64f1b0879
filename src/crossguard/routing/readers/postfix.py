"""Postfix ``virtual`` and ``aliases`` source files (the text ``postmap``/``postalias`` read).

Follows virtual(5) and aliases(5) (https://www.postfix.org/virtual.5.html,
https://www.postfix.org/aliases.5.html) and the postmap(1) input rules
(https://www.postfix.org/postmap.1.html): a logical line starts with
non-whitespace text, a line that starts with whitespace continues it, and
empty lines and lines whose first non-whitespace character is ``#`` are
ignored. ``virtual`` lines are ``pattern address, address, ...``;
``aliases`` lines are ``name: value, value, ...`` where a value may also be a
``/file``, a ``|command`` or ``:include:/file`` (noted, not expanded).
Local names without a domain are qualified with the first company domain,
as Postfix appends ``$myorigin``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from crossguard.routing.addresses import normalize
from crossguard.routing.model import Problem, ReadResult
from crossguard.routing.readers.neutral import alias_group

_VIRTUAL_SPLIT = re.compile(r"[,\s]+")


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """``(first line number, joined text)`` per logical line, comments and blanks dropped."""
    start = 0
    parts: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if line[0].isspace() and parts:
            parts.append(stripped)
            continue
        if parts:
            yield start, " ".join(parts)
        start, parts = number, [stripped]
    if parts:
        yield start, " ".join(parts)


def _qualify(name: str, default_domain: str | None) -> str | None:
    """A bare address for ``name``; local names get ``default_domain``."""
    if "@" not in name and default_domain:
        name = f"{name}@{default_domain}"
    return normalize(name)


def read_virtual(path: Path, text: str, default_domain: str | None) -> ReadResult:
    """Read a ``virtual`` alias map source file."""
    result = ReadResult()
    for number, line in logical_lines(text):
        where = f"{path}:{number}"
        key, _, value = line.replace("\t", " ").partition(" ")
        value = value.strip()
        if key.startswith("/"):
            result.problems.append(Problem(where, "regular expression lookup tables are not read"))
            continue
        if not value:
            result.problems.append(Problem(where, "pattern has no address"))
            continue
        if "@" not in key and "." in key:
            continue  # a virtual alias domain declaration ("example.com  anything")
        address = _qualify(key, default_domain)
        if address is None:
            result.problems.append(Problem(where, "pattern is not an address"))
            continue
        targets: list[str] = []
        for number, item in enumerate(filter(None, _VIRTUAL_SPLIT.split(value)), 1):
            target = _qualify(item, default_domain)
            if target is None:
                result.problems.append(Problem(where, f"address {number} is not an address"))
            else:
                targets.append(target)
        if targets:
            result.groups.append(alias_group(address, tuple(dict.fromkeys(targets)), where))
    return result


def _split_values(value: str) -> list[str]:
    """Comma-separated values; commas inside double quotes do not split."""
    values: list[str] = []
    current: list[str] = []
    quoted = False
    for char in value:
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            values.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    values.append("".join(current).strip())
    return [item.strip('"').strip() for item in values if item.strip('"').strip()]


def read_aliases(path: Path, text: str, default_domain: str | None) -> ReadResult:
    """Read an ``aliases`` source file."""
    result = ReadResult()
    for number, line in logical_lines(text):
        where = f"{path}:{number}"
        name, colon, value = line.partition(":")
        name = name.strip().strip('"')
        if not colon or not name or " " in name:
            result.problems.append(Problem(where, "expected 'name: value, value, ...'"))
            continue
        address = _qualify(name, default_domain)
        if address is None:
            result.problems.append(Problem(where, "alias name is not an address"))
            continue
        targets: list[str] = []
        for number, item in enumerate(_split_values(value), 1):
            if item.lower().startswith(":include:"):
                result.problems.append(
                    Problem(where, f"{address} includes {item[9:].strip()} (not read)", "note")
                )
            elif item.startswith(("|", "/")):
                result.problems.append(
                    Problem(where, f"{address} delivers to a command or file", "note")
                )
            else:
                target = _qualify(item, default_domain)
                if target is None:
                    result.problems.append(Problem(where, f"value {number} is not an address"))
                else:
                    targets.append(target)
        if not targets and not value.strip():
            result.problems.append(Problem(where, "alias has no value"))
            continue
        result.groups.append(alias_group(address, tuple(dict.fromkeys(targets)), where))
    return result
