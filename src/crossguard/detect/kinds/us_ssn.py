"""US_SSN: US Social Security numbers validated by python-stdnum (SSA area/group/serial rules).

Areas 000, 666 and 900-999, group 00 and serial 0000 are never issued. A bare
nine-digit number is an SSN only near a context word; after a reference word
(ticket, case, order...; crossguard.detect.reference) without one, neither is
a formatted one.
"""

from __future__ import annotations

from collections.abc import Iterator

from stdnum.us import ssn

from crossguard.core.finding import Finding
from crossguard.detect.base import (
    Window,
    context_words,
    has_context,
    make_finding,
    shaped_windows,
)
from crossguard.detect.normalize import NormalizedText
from crossguard.detect.reference import is_reference
from crossguard.detect.settings import DetectSettings

_CONTEXT = context_words("ssn", "ssn#", "social security", "ss#", "ss no", "social sec", "ssns")


def _never_issued(digits: str) -> bool:
    """The SSA's never-issued ranges, checked before python-stdnum's fuller validation."""
    return (
        digits[0] == "9"
        or digits[:3] in ("000", "666")
        or digits[3:5] == "00"
        or (digits[5:] == "0000")
    )


class UsSsnDetector:
    """Finds SSNs written 123-45-6789, 123 45 6789 or 123456789."""

    name: str = "us_ssn"
    kinds: tuple[str, ...] = ("US_SSN",)

    def __init__(self, settings: DetectSettings) -> None:
        self.window = settings.context_window

    def find(self, text: NormalizedText, part: str) -> Iterator[Finding]:
        for window in shaped_windows(text, (3, 2, 4), (9,)):
            finding = self._check(text, part, window)
            if finding is not None:
                yield finding

    def _check(self, text: NormalizedText, part: str, window: Window) -> Finding | None:
        formatted = window.sizes == (3, 2, 4) and window.gaps[0] in ("-", " ", ".")
        digits = window.digits
        if not (formatted or window.sizes == (9,)) or _never_issued(digits):
            return None
        if not ssn.is_valid(digits):
            return None
        span = (window.start, window.end)
        if is_reference(text, window.start, _CONTEXT):
            confidence = 0.2
        elif has_context(text, *span, _CONTEXT, self.window):
            confidence = 0.9
        else:
            confidence = 0.5 if formatted else 0.2
        return make_finding(text, "US_SSN", part, span, digits, f"***-**-{digits[5:]}", confidence)
