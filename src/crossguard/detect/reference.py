"""Reference context: words that say a number is an order, ticket or device number.

The words live in ``crossguard/data/reference_words.txt`` (data, not code).
Card and national-id detectors lower their confidence when one of them
precedes a number and no word of their own kind does.
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


def is_reference(text: NormalizedText, start: int) -> bool:
    """True when a reference word ends within ``REACH`` characters before ``start``."""
    return reference_words().search(text.text, max(0, start - REACH), start) is not None
