"""Reference context: words that say a number is an order, ticket or device number.

The words live in ``crossguard/data/reference_words.txt`` (data, not code).
Card and national-id detectors lower their confidence when one of them is
the nearest such word before a number.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from crossguard.detect.base import context_words
from crossguard.detect.normalize import NormalizedText

#: The reference words are looked for this many characters before a number.
REACH = 40


def data_words(name: str) -> tuple[str, ...]:
    """The words of ``crossguard/data/<name>``: one per line, ``#`` comments skipped."""
    text = resources.files("crossguard").joinpath("data", name).read_text(encoding="utf-8")
    lines = (line.strip() for line in text.splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


@cache
def reference_words() -> re.Pattern[str]:
    """The reference words as one case-insensitive whole-word pattern."""
    return context_words(*data_words("reference_words.txt"))


def is_reference(text: NormalizedText, start: int, own: re.Pattern[str]) -> bool:
    """True when the nearest word before ``start`` says reference, not ``own`` kind.

    A reference word must end within ``REACH`` characters before ``start``,
    with no word of the detector's own kind (``own``: card, SSN...) between
    it and the number: "card ending 2120, invoice 4950..." is an invoice,
    "order paid with card 4111..." is a card.
    """
    ends = [match.end() for match in
            reference_words().finditer(text.text, max(0, start - REACH), start)]
    return bool(ends) and own.search(text.text, ends[-1], start) is None
