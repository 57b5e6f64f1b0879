"""UK_NINO: UK National Insurance numbers (HMRC NIM39110), value compact upper-case."""

from __future__ import annotations

import re
from collections.abc import Iterator

from crossguard.core.finding import Finding
from crossguard.core.ids import nino
from crossguard.core.mask import mask_middle
from crossguard.detect.base import context_words, digit_runs, has_context, make_finding
from crossguard.detect.normalize import NormalizedText
from crossguard.detect.settings import DetectSettings

_PATTERN = re.compile(
    r"(?:[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]|[a-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[a-d])(?![A-Za-z0-9])"
)
_CONTEXT = context_words("national insurance", "nino", "ni number", "ni no", "nat ins")


class UkNinoDetector:
    """Finds National Insurance numbers written with or without spaces."""

    name: str = "uk_nino"
    kinds: tuple[str, ...] = ("UK_NINO",)

    def __init__(self, settings: DetectSettings) -> None:
        self.window = settings.context_window

    def find(self, text: NormalizedText, part: str) -> Iterator[Finding]:
        body = text.text
        for run in digit_runs(text):
            if run.digit_count < 6:
                continue
            # The two prefix letters sit right before the run, or one space before it.
            start = run.start - (2 if run.attached else 3)
            if start < 0 or (start > 0 and body[start - 1].isalnum()):
                continue
            match = _PATTERN.match(body, start)
            if match is None:
                continue
            value = nino.compact(match.group())
            if not nino.is_valid(value):
                continue
            confidence = 0.95 if has_context(text, *match.span(), _CONTEXT, self.window) else 0.6
            masked = mask_middle(nino.format(value), 0, 2)
            yield make_finding(text, "UK_NINO", part, match.span(), value, masked, confidence)
