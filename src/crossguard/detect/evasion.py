"""Edits that undo the ways people hide an identifier in text (issue 21, item 5).

Each function returns edits ``(start, end, replacement)`` over its input, sorted
and not overlapping; :mod:`crossguard.detect.normalize` applies them as layers
that map every span back to the original text. A value found inside a
replacement maps to the whole edited span (a base64 token, a ``%40``).

* right-to-left override (U+202E): the run it reverses is read in display order;
* homoglyphs: Cyrillic and Greek letters that look like Latin ones
  (``data/homoglyphs.tsv``) are read as the Latin letter;
* percent-encoding: ``john%40example.com``, ``4111%201111...``;
* inline HTML tags in the middle of a value: ``john<b></b>@example.com``;
* a line break inside an address: ``john.smith@exam`` / ``ple.com`` is joined when
  one side cannot end or start an address on its own;
* base64 inline: a token that decodes to text holding an ``@`` or four digits is
  read as that text.
"""

from __future__ import annotations

import base64
import binascii
import re
from functools import cache
from importlib.resources import files

Edit = tuple[int, int, str]

_RLO = re.compile("\u202e([^\u202c\n]*)\u202c?")
_PERCENT = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_INLINE_TAG = re.compile(
    r"(?i)</?(?:a|b|i|u|s|em|strong|span|font|small|sub|sup|mark|del|ins|code|wbr|br|q|kbd)"
    r"\b[^<>\n]{0,80}/?>"
)
_BREAK = re.compile(r"(?<=[\w.@+-])[ \t]*\r?\n[ \t]*(?=[\w.@+-])")
_TOKEN_BEFORE = re.compile(r"[\w.@+-]{1,64}\Z")
_TOKEN_AFTER = re.compile(r"[\w.@+-]{1,253}")
_HAS_TLD = re.compile(r"@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\Z")
_BASE64 = re.compile(r"(?<![\w+/=])[A-Za-z0-9+/]{16,}={0,2}(?![\w+/=])")
_DIGITS4 = re.compile(r"\d(?:\D{0,2}\d){3}")


@cache
def homoglyphs() -> dict[int, str]:
    """The lookalike letters and the Latin letter each is read as (from the data file)."""
    table: dict[int, str] = {}
    text = files("crossguard").joinpath("data/homoglyphs.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            code, latin = line.split("\t")[:2]
            table[int(code.removeprefix("U+"), 16)] = latin
    return table


def reversed_runs(text: str) -> list[Edit]:
    """Each right-to-left override run, read in the order it is displayed."""
    return [(m.start(), m.end(), m.group(1)[::-1]) for m in _RLO.finditer(text)]


def percent_edits(text: str) -> list[Edit]:
    """Percent-encoded runs that decode to printable text."""
    edits = []
    for match in _PERCENT.finditer(text):
        try:
            decoded = bytes.fromhex(match.group().replace("%", "")).decode("utf-8")
        except UnicodeDecodeError:
            continue
        if decoded.isprintable():
            edits.append((match.start(), match.end(), decoded))
    return edits


def tag_edits(text: str) -> list[Edit]:
    """Inline HTML tags dropped (a block of plain text that holds markup)."""
    return [(m.start(), m.end(), "") for m in _INLINE_TAG.finditer(text)]


def break_edits(text: str) -> list[Edit]:
    """Line breaks inside an e-mail address, when one side is no address on its own."""
    edits = []
    for match in _BREAK.finditer(text):
        before = _TOKEN_BEFORE.search(text, max(0, match.start() - 64), match.start())
        after = _TOKEN_AFTER.match(text, match.end())
        if before is None or after is None:
            continue
        head, tail = before.group(), after.group()
        if "@" not in head and "@" not in tail:
            continue
        if (head[-1] in ".@_+-" or tail[0] in ".@_-"
                or ("@" in head and not _HAS_TLD.search(head) and "@" not in tail)):
            edits.append((match.start(), match.end(), ""))
    return edits


def base64_edits(text: str) -> list[Edit]:
    """Base64 tokens that decode to text holding an ``@`` or four digits."""
    edits = []
    for match in _BASE64.finditer(text):
        token = match.group()
        if token.isdigit() or token.isalpha() or len(token.rstrip("=")) % 4 == 1:
            continue
        try:
            decoded = base64.b64decode(token + "=" * (-len(token) % 4), validate=True)
            plain = decoded.decode("utf-8")
        except (binascii.Error, ValueError):
            continue
        if plain.isprintable() and ("@" in plain or _DIGITS4.search(plain)):
            edits.append((match.start(), match.end(), f" {plain} "))
    return edits
