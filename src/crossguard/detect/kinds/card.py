"""CARD: payment card numbers, 13-19 digits in groups, issuer prefix and Luhn (ISO/IEC 7812)."""

from __future__ import annotations

from collections.abc import Iterator

from crossguard.core.finding import Finding
from crossguard.core.ids import card
from crossguard.core.mask import mask_card
from crossguard.detect.base import context_words, digit_runs, has_context, make_finding
from crossguard.detect.normalize import NormalizedText
from crossguard.detect.settings import DetectSettings

_CONTEXT = context_words(
    "card", "credit", "debit", "visa", "mastercard", "amex", "cc", "pan", "card number"
)


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
                if window.start < taken or any(
                    "(" in gap or ")" in gap or len(gap) > 3 for gap in window.gaps
                ):
                    continue
                digits = window.digits
                if not card.is_valid(digits):
                    continue
                taken = window.end
                span = (window.start, window.end)
                context = has_context(text, *span, _CONTEXT, self.window)
                confidence = 0.95 if context else 0.85
                yield make_finding(text, "CARD", part, span, digits, mask_card(digits), confidence)
