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
from collections.abc import Iterator
from functools import cache
from importlib.resources import files
from itertools import compress

Edit = tuple[int, int, str]

_RLO = re.compile("\u202e([^\u202c\n]*)\u202c?")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}(?:%[0-9A-Fa-f]{2})*")  # a literal first: a fast scan
_INLINE_TAG = re.compile(
    r"(?i)</?(?:a|b|i|u|s|em|strong|span|font|small|sub|sup|mark|del|ins|code|wbr|br|q|kbd)"
    r"\b[^<>\n]{0,80}/?>"
)
_BREAK = re.compile(r"[ \t\r]*\n[ \t]*(?=[\w.@+-])")
_TOKEN_AFTER = re.compile(r"[\w.@+-]{1,253}")
_HAS_TLD = re.compile(r"@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\Z")
_BASE64 = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}")
_PUNCTUATION = "\"'()[]<>,;:.!?"
#: ASCII bytes read as white space (as ``str.split`` reads it) b" ", as a base64
#: character b"a", as anything else b".".
_SHAPES = bytes(32 if c < 128 and chr(c).isspace() else
                97 if c < 128 and (chr(c).isalnum() or chr(c) in "+/") else 46
                for c in range(256))
_BASE64_RUN = b"a" * 16
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
    """Line breaks inside an e-mail address, when one side is no address on its own.

    Only the token around each ``@`` is looked at: breaks right before it or
    right after it, with the token on the other side of each break. A token
    broken over several lines is joined at every break, as far as the joined
    token still reads as part of an address ("jo@exam\nple.co\n.uk").
    """
    edits: dict[int, Edit] = {}
    at = text.find("@")
    while at != -1:
        start, end = at, at + 1
        while start > 0 and _is_address_char(text[start - 1]):
            start -= 1
        token = _TOKEN_AFTER.match(text, end)
        end = token.end() if token else end
        joined, position = text[start:end], start
        while (before := _break_before(text, position)) is not None:  # "john.\nsmith@…"
            head = _token_before(text, before)
            if not head or not (head[-1] in ".@_+-" or joined[0] in ".@_-"):
                break
            edits[before] = (before, position, "")
            joined, position = head + joined, before - len(head)
        position = end
        while (after := _break_after(text, position)) is not None:  # "john@exam\nple.com"
            following = _TOKEN_AFTER.match(text, after)
            rest = following.group() if following else ""
            full_stop = joined[-1] == "." and _HAS_TLD.search(joined[:-1]) is not None
            if not rest or full_stop or not (
                    joined[-1] in ".@_+-" or rest[0] in ".@_-"
                    or ("@" not in rest and not _HAS_TLD.search(joined))):
                break
            edits[position] = (position, after, "")
            joined, position = joined + rest, after + len(rest)
        at = text.find("@", end)
    return sorted(edits.values())


def _is_address_char(char: str) -> bool:
    return char.isalnum() or char in "_.@+-"


def _break_before(text: str, start: int) -> int | None:
    """Where a line break (with its blanks) ending at ``start`` begins, else None."""
    position = start
    while position > 0 and text[position - 1] in " \t":
        position -= 1
    if position == 0 or text[position - 1] != "\n":
        return None
    position -= 1
    while position > 0 and text[position - 1] in " \t\r":
        position -= 1
    return position


def _break_after(text: str, end: int) -> int | None:
    """Where the next token starts after a line break beginning at ``end``, else None."""
    match = _BREAK.match(text, end)
    return match.end() if match else None


def _token_before(text: str, end: int) -> str:
    """The address-like characters right before ``end`` (at most 64)."""
    start = end
    while start > max(0, end - 64) and (text[start - 1].isalnum() or text[start - 1] in "_.@+-"):
        start -= 1
    return text[start:end]


def long_words(text: str) -> Iterator[tuple[int, str]]:
    """The white-space-delimited words a base64 token of 16 characters can lie in, and
    where each starts.

    ASCII text (most mail): only the words holding a run of 16 base64 characters,
    found with one ``bytes.translate`` and ``find`` (5 µs for 3 KB, where splitting
    every word costs 45). Other text: every word of 16 characters or more.
    """
    if not text.isascii():
        words = text.split()
        cursor = 0
        for word in compress(words, map((16).__le__, map(len, words))):
            cursor = text.find(word, cursor)
            yield cursor, word
            cursor += len(word)
        return
    shapes = text.encode("ascii").translate(_SHAPES)
    at = shapes.find(_BASE64_RUN)
    while at >= 0:
        start = shapes.rfind(b" ", 0, at) + 1
        end = shapes.find(b" ", at)
        end = len(shapes) if end < 0 else end
        yield start, text[start:end]
        at = shapes.find(_BASE64_RUN, end)


def base64_edits(text: str) -> list[Edit]:
    """Base64 words that decode to text holding an ``@`` or four digits."""
    edits: list[Edit] = []
    for cursor, word in long_words(text):
        token = word.strip(_PUNCTUATION)
        match = _BASE64.fullmatch(token)
        if match is None or token.isdigit() or token.isalpha() or len(
                token.rstrip("=")) % 4 == 1:
            continue
        try:
            decoded = base64.b64decode(token + "=" * (-len(token) % 4), validate=True)
            plain = decoded.decode("utf-8")
        except (binascii.Error, ValueError):
            continue
        if plain.isprintable() and ("@" in plain or _DIGITS4.search(plain)):
            start = cursor + word.index(token)
            edits.append((start, start + len(token), f" {plain} "))
    return edits
