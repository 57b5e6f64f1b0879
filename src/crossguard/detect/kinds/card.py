"""CARD: payment card numbers, issuer prefix, length and Luhn (ISO/IEC 7812).

A card is written ungrouped or in its network's grouping: every break
between groups falls where the networks break (after digits 4, 8, 12, 16:
4-4-4-4, 4-4-4-2, 4-4-4-4-3; or after 4 and 10: Amex 4-6-5, Diners 4-6-4;
groups may be joined, as a removed soft hyphen joins them), with one
repeated separator (a line break counts as a space). A 3-7-7 order number or
a 2-6-6-1 IMEI is not a card whatever its digits.
A reference word as the nearest word before the number (order, tracking,
IMEI, serial...; crossguard.detect.reference), with no card word after it,
lowers the confidence below the default floor.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from crossguard.core.finding import Finding
from crossguard.core.ids import card
from crossguard.core.mask import mask_card
from crossguard.detect.base import Window, context_words, digit_runs, has_context, make_finding
from crossguard.detect.normalize import NormalizedText
from crossguard.detect.reference import is_reference
from crossguard.detect.settings import DetectSettings

_CONTEXT = context_words(
    "card", "credit", "debit", "visa", "mastercard", "amex", "cc", "pan", "card number"
)
#: Where the networks break a card number into groups (digits before each break).
BREAKS: tuple[frozenset[int], ...] = (frozenset({4, 8, 12, 16}), frozenset({4, 10}))
#: Confidence of a card number after a reference word (below the default floor of 0.3).
REFERENCE_CONFIDENCE = 0.2


class CardDetector:
    """Finds Luhn-valid card numbers with a known issuer prefix."""

    name: str = "card"
    kinds: tuple[str, ...] = ("CARD",)

    def __init__(self, settings: DetectSettings) -> None:
        self.window = settings.context_window

    def find(self, text: NormalizedText, part: str) -> Iterator[Finding]:
        for run in digit_runs(text):
            if run.digit_count < 13 or run.attached:
                continue
            taken = -1
            for window in run.windows(text.text, 13, 19):
                if window.start < taken or not _card_shaped(window):
                    continue
                digits = window.digits
                if not card.is_valid(digits):
                    continue
                taken = window.end
                span = (window.start, window.end)
                if is_reference(text, window.start, _CONTEXT):
                    confidence = REFERENCE_CONFIDENCE
                elif has_context(text, *span, _CONTEXT, self.window):
                    confidence = 0.95
                else:
                    confidence = 0.85
                yield make_finding(text, "CARD", part, span, digits, mask_card(digits),
                                   confidence)


def _card_shaped(window: Window) -> bool:
    """Grouped as cards are, with one separator of at most three characters (no parentheses)."""
    breaks = set(itertools.accumulate(window.sizes[:-1]))
    if not any(breaks <= allowed for allowed in BREAKS):
        return False
    gaps = {gap.replace("\r\n", " ").replace("\n", " ") for gap in window.gaps}
    return len(gaps) <= 1 and not any("(" in gap or ")" in gap or len(gap) > 3 for gap in gaps)
