"""Street lines of addresses as written in many countries, and how their words are folded.

A street line is stored as the house number followed by up to five street words
in written order, whichever side of the street name the number was written on:
"22 Baker Street" is ``22 baker st``, "Calle Mayor 12" is ``12 c mayor``,
"Nørregade 10" is ``10 norregade``. Flat, unit and floor designators in their
own languages ("Flat 3B", "Apt 4", "3º B", "Whg. 5", "bte 2", "lgh 1102") are
left out, as are the postcode and town. Word tables: ``data/addresses.toml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from crossguard.core.locales.data import load
from crossguard.core.locales.text import fold_word

#: A word token (the same as the index's and the message side's).
TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)?", re.UNICODE)
#: House number plus at most this many street words.
STREET_WORDS_MAX = 5
_SEGMENTS = re.compile(r"[,;\n]")
_ORDINAL_FLOOR = re.compile(r"\d+[ºª°o]?")


@dataclass(frozen=True, slots=True)
class _Tables:
    words: dict[str, str]
    suffixes: tuple[tuple[str, str], ...]
    units: frozenset[str]


@cache
def _tables() -> _Tables:
    data = load("addresses.toml")
    words = {fold_word(written): spelling for written, spelling in data["street_words"].items()}
    suffixes = tuple(sorted(((fold_word(end), short) for end, short
                             in data["street_suffixes"].items()),
                            key=lambda pair: -len(pair[0])))
    return _Tables(words, suffixes, frozenset(map(fold_word, data["units"]["words"])))


def fold_token(raw: str) -> str:
    """One word as it is hashed: folded, street types in one spelling (Str., Straße -> st)."""
    tables = _tables()
    folded = fold_word(raw)
    spelling = tables.words.get(folded)
    if spelling is not None:
        return spelling
    for end, short in tables.suffixes:
        if folded.endswith(end) and len(folded) > len(end) + 2:
            return folded[: -len(end)] + short
    return folded


def _is_number(raw: str) -> bool:
    return raw[:1].isdigit() and len(raw) <= 6


def _line(raws: list[str], folded: list[str]) -> list[str]:
    """The street line of one address segment, or [] when it holds none."""
    units = _tables().units
    while raws and folded[0] in units:  # "Flat 3B 22 Baker St": the unit and its value go
        raws, folded = raws[2:], folded[2:]
    if len(raws) < 2:
        return []
    if _is_number(raws[0]):
        words: list[str] = []
        for raw, word in zip(raws[1:], folded[1:], strict=True):
            if word in units or (words and _is_number(raw)):
                break
            words.append(word)
            if len(words) == STREET_WORDS_MAX:
                break
        if any(not raw[:1].isdigit() for raw in raws[1 : 1 + len(words)]):
            return [folded[0], *words]
        return []
    for at in range(1, len(raws)):
        if _is_number(raws[at]):
            return [folded[at], *folded[max(0, at - STREET_WORDS_MAX) : at]]
    return []


def street_line(address: str) -> list[str]:
    """The street line of ``address`` as folded tokens, or [] when none can be read.

    The number may sit in a segment of its own: "214, avenue Charlotte" (before),
    "Av. Paulista, 1578" (after); a flat number stands in for a house number
    when the street has none ("Flat 17, Janet Meadows").
    """
    units = _tables().units
    segments = [raws for raws in map(TOKEN.findall, _SEGMENTS.split(address)) if raws]
    for position, raws in enumerate(segments):
        folded = [fold_token(raw) for raw in raws]
        line = _line(raws, folded)
        if line:
            return line
        following = segments[position + 1] if position + 1 < len(segments) else []
        words = not any(raw[:1].isdigit() for raw in following)
        if len(raws) == 1 and _is_number(raws[0]) and following and words:
            return [folded[0], *map(fold_token, following[:STREET_WORDS_MAX])]
        if len(raws) == 2 and folded[0] in units and _is_number(raws[1]) and following and words:
            return [folded[1], *map(fold_token, following[:STREET_WORDS_MAX])]
        if (not any(raw[:1].isdigit() for raw in raws) and following
                and _is_number(following[0]) and _ORDINAL_FLOOR.fullmatch(following[0])
                and folded[0] not in units):
            # "Av. Paulista, 1578": the number in the next segment
            return [fold_token(following[0]), *folded[-STREET_WORDS_MAX:]]
    return []
