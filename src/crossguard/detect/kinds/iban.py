"""IBAN: International Bank Account Numbers (ISO 13616) validated by python-stdnum."""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import iban

from crossguard.core.finding import Finding
from crossguard.core.mask import mask_middle
from crossguard.detect.base import digit_runs, make_finding
from crossguard.detect.normalize import NormalizedText
from crossguard.detect.settings import DetectSettings

_PATTERN = re.compile(r"[A-Z]{2}\d{2}(?:[ \-]?[A-Z0-9]){11,30}", re.IGNORECASE)


class IbanDetector:
    """Finds IBANs, compact or in groups, trimming words that follow them."""

    name: str = "iban"
    kinds: tuple[str, ...] = ("IBAN",)

    def __init__(self, settings: DetectSettings) -> None:
        self.settings = settings

    def find(self, text: NormalizedText, part: str) -> Iterator[Finding]:
        body = text.text
        for run in digit_runs(text):
            # The check digits start a run attached to the two-letter country code.
            start = run.start - 2
            if not run.attached or start < 0 or (start > 0 and body[start - 1].isalnum()):
                continue
            match = _PATTERN.match(body, start)
            if match is None:
                continue
            # (compact length, end offset) at every point where a token ends.
            cuts: list[tuple[int, int]] = []
            count = 0
            for offset in range(match.start(), match.end()):
                if body[offset].isalnum():
                    count += 1
                    if offset + 1 == match.end() or not body[offset + 1].isalnum():
                        cuts.append((count, offset + 1))
            compact = "".join(ch for ch in match.group() if ch.isalnum()).upper()
            for length, end in reversed(cuts):
                written = body[match.start() : end]
                if not (written.isupper() or written.islower()):
                    continue  # "LV80 bANK ...": no one writes an IBAN in mixed case
                if length >= 15 and iban.is_valid(compact[:length]):
                    value = compact[:length]
                    masked = mask_middle(iban.format(value), 4, 4)
                    span = (match.start(), end)
                    yield make_finding(text, "IBAN", part, span, value, masked, 0.95)
                    break
