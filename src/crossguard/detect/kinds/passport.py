"""PASSPORT: a passport number in a sentence or label with a passport word; value upper-case.

Passport words in every language of ``crossguard/data/context`` count anywhere in
the sentence: "Passport No: 451443923", "pasaporte X1234567", "The passport number
we hold for this order is 451443923". The first passport-shaped token after the
word is taken, else the last one before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from crossguard.core.finding import Finding
from crossguard.core.mask import mask_middle
from crossguard.detect.base import make_finding
from crossguard.detect.context import sentence, shared
from crossguard.detect.normalize import NormalizedText
from crossguard.detect.settings import DetectSettings

_KINDS = frozenset({"passport"})
_NUMBER = re.compile(r"(?<![A-Za-z0-9-])(?=[A-Za-z]{0,3}\d)[A-Za-z0-9]{6,9}(?![A-Za-z0-9-])")


class PassportDetector:
    """Finds the passport-number-shaped token nearest a passport word in its sentence."""

    name: str = "passport"
    kinds: tuple[str, ...] = ("PASSPORT",)

    def __init__(self, settings: DetectSettings) -> None:
        self.context = shared()

    def find(self, text: NormalizedText, part: str) -> Iterator[Finding]:
        body = text.text
        taken: set[tuple[int, int]] = set()
        for hit in self.context.of_kind(text, _KINDS):
            low, high = sentence(text, hit.start, hit.end)
            number = _first_number(body, hit.end, high)
            if number is None:
                before = [m for m in _NUMBER.finditer(body, low, hit.start) if _plausible(m)]
                number = before[-1] if before else None
            if number is None or number.span() in taken:
                continue
            taken.add(number.span())
            value = number.group().upper()
            yield make_finding(
                text, "PASSPORT", part, number.span(), value, mask_middle(value, 1, 2), 0.75
            )


def _plausible(number: re.Match[str]) -> bool:
    """Letters only as a prefix of at most three, upper-case (``X1234567``, ``AB123456``)."""
    value = number.group()
    letters = len(value) - len(value.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"))
    return value[letters:].isdigit() or value.isupper()


def _first_number(body: str, start: int, end: int) -> re.Match[str] | None:
    for number in _NUMBER.finditer(body, start, end):
        if _plausible(number):
            return number
    return None
