"""CA_SIN: Canadian Social Insurance Numbers validated by python-stdnum (Luhn)."""

from __future__ import annotations

from collections.abc import Iterator

import phonenumbers
from stdnum.ca import sin

from crossguard.core.finding import Finding
from crossguard.detect.base import (
    Window,
    context_words,
    has_context,
    make_finding,
    shaped_windows,
)
from crossguard.detect.normalize import NormalizedText
from crossguard.detect.settings import DetectSettings

_CONTEXT = context_words("sin", "social insurance", "numéro d'assurance sociale", "nas")


class CaSinDetector:
    """Finds SINs written 123-456-782, 123 456 782 or 123456782."""

    name: str = "ca_sin"
    kinds: tuple[str, ...] = ("CA_SIN",)

    def __init__(self, settings: DetectSettings) -> None:
        self.window = settings.context_window
        regions = settings.region_codes()
        #: Where CA is not served, a 9-digit phone number of a served country ("912 340 759"
        #: in Portugal, "612 345 678" in Spain) is that phone, unless a SIN word is near.
        self.phone_regions = () if "CA" in regions else regions

    def find(self, text: NormalizedText, part: str) -> Iterator[Finding]:
        for window in shaped_windows(text, (3, 3, 3), (9,)):
            finding = self._check(text, part, window)
            if finding is not None:
                yield finding

    def _check(self, text: NormalizedText, part: str, window: Window) -> Finding | None:
        formatted = window.sizes == (3, 3, 3) and window.gaps[0] in ("-", " ")
        digits = window.digits
        if not (formatted or window.sizes == (9,)) or not sin.is_valid(digits):
            return None
        span = (window.start, window.end)
        if has_context(text, *span, _CONTEXT, self.window):
            confidence = 0.9
        elif self._a_served_phone(digits):
            return None
        else:
            confidence = 0.4 if formatted else 0.2
        return make_finding(text, "CA_SIN", part, span, digits, f"*** *** {digits[6:]}", confidence)

    def _a_served_phone(self, digits: str) -> bool:
        for region in self.phone_regions:
            try:
                number = phonenumbers.parse(digits, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number_for_region(number, region):
                return True
        return False
