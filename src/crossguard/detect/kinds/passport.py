"""PASSPORT: a passport number written right after "passport no." or similar; value upper-case."""

from __future__ import annotations

import re
from collections.abc import Iterator

from crossguard.core.finding import Finding
from crossguard.core.mask import mask_middle
from crossguard.detect.base import context_hits, make_finding
from crossguard.detect.normalize import NormalizedText
from crossguard.detect.settings import DetectSettings

_CONTEXT = re.compile(
    r"(?<![a-z])passport(?:[ \t]*(?:no\.?|nr\.?|num(?:ber)?|#|id))?(?![a-z])", re.IGNORECASE
)
_NUMBER = re.compile(r"(?<![A-Za-z0-9])(?=[A-Z]{0,3}\d)[A-Z0-9]{6,9}(?![A-Za-z0-9])")
_REACH = 30


class PassportDetector:
    """Finds the first passport-number-shaped token within a short reach of the context."""

    name: str = "passport"
    kinds: tuple[str, ...] = ("PASSPORT",)

    def __init__(self, settings: DetectSettings) -> None:
        self.settings = settings

    def find(self, text: NormalizedText, part: str) -> Iterator[Finding]:
        body = text.text
        for context in context_hits(text, ("passport",), _CONTEXT):
            number = _NUMBER.search(body, context.end(), min(len(body), context.end() + _REACH))
            if number is None or (number.end() < len(body) and body[number.end()].isalnum()):
                continue
            value = number.group()
            yield make_finding(
                text, "PASSPORT", part, number.span(), value, mask_middle(value, 1, 2), 0.75
            )
