"""DRIVER_LICENCE: UK (GB) driving licence numbers (DVLA layout, see core.ids.gb_dl).

The 16-character layout with a valid date of birth is distinctive enough to be
found without a context word; only run when GB is among the regions served.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from crossguard.core.finding import Finding
from crossguard.core.ids import gb_dl
from crossguard.core.mask import mask_middle
from crossguard.detect.base import make_finding
from crossguard.detect.normalize import NormalizedText
from crossguard.detect.settings import DetectSettings

_PATTERN = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z9]{5} ?\d{6} ?[A-Za-z9]{2}\d[A-Za-z]{2}(?![A-Za-z0-9])"
)


class GbDrivingLicenceDetector:
    """Finds DVLA driving licence numbers, written whole or in its three printed groups."""

    name: str = "gb_driving_licence"
    kinds: tuple[str, ...] = ("DRIVER_LICENCE",)

    def __init__(self, settings: DetectSettings) -> None:
        self.enabled = "GB" in settings.region_codes() or "UK" in settings.region_codes()

    def find(self, text: NormalizedText, part: str) -> Iterator[Finding]:
        if not self.enabled:
            return
        for match in _PATTERN.finditer(text.text):
            if not gb_dl.is_valid(match.group()):
                continue
            value = gb_dl.compact(match.group())
            yield make_finding(text, "DRIVER_LICENCE", part, match.span(), value,
                               mask_middle(value, 1, 2), 0.85)
