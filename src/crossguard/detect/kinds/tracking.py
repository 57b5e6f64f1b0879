"""TRACKING_NUMBER: parcel tracking numbers (UPS, FedEx, USPS, DHL, UPU S10); not sensitive.

UPS ``1Z...`` and S10 (``RR123456785US``) are recognised by shape and check
digit (crossguard.core.ids.tracking). Digit-only numbers are recognised by
shape within reach of a carrier or tracking word: FedEx 12, 15 or 20 digits,
USPS 20-22 digits starting 9, DHL Express 10 digits, written as carriers print
them: in one block or in blocks of four (``9400 1118 9922 ...``). A number laid
out as a phone number (``(650) 253-0199``, ``01 42 68 53 00``) is no tracking
number however near the word "courier" it stands. Recognised, they are never
read as a card, an SSN or a licence number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from crossguard.core.finding import Finding
from crossguard.core.ids import tracking
from crossguard.core.mask import mask_middle
from crossguard.detect.base import Run, context_words, digit_runs, make_finding
from crossguard.detect.normalize import NormalizedText
from crossguard.detect.settings import DetectSettings

_LETTERED = re.compile(r"1Z[0-9A-Z]{16}|[A-Z]{2}[0-9]{9}[A-Z]{2}")
_TOKEN = re.compile(r"[A-Za-z0-9]+")
_CONTEXT = context_words("tracking", "track", "ups", "fedex", "usps", "dhl", "waybill", "awb",
                         "shipment", "parcel", "package", "courier", "consignment")
_DIGIT_LENGTHS = frozenset({10, 12, 15, 20, 21, 22})
_REACH = 40


def _carrier_blocks(run: Run) -> bool:
    """True for digits in one block, or in blocks of four with a shorter last one."""
    sizes = run.sizes
    return len(sizes) == 1 or (all(size == 4 for size in sizes[:-1]) and sizes[-1] <= 4)


class TrackingDetector:
    """Finds carrier tracking numbers."""

    name: str = "tracking"
    kinds: tuple[str, ...] = ("TRACKING_NUMBER",)

    def __init__(self, settings: DetectSettings) -> None:
        self.settings = settings

    def find(self, text: NormalizedText, part: str) -> Iterator[Finding]:
        body = text.text
        seen = -1
        for run in digit_runs(text):
            if run.attached:
                start = run.start
                while start > 0 and start > run.start - 18 and body[start - 1].isalnum():
                    start -= 1
                token = _TOKEN.match(body, start)
                if token is None or token.start() < seen:
                    continue
                seen = token.end()
                value = token.group()
                if _LETTERED.fullmatch(value) and (tracking.is_ups(value) or
                                                   tracking.is_s10(value)):
                    yield make_finding(text, "TRACKING_NUMBER", part, token.span(), value,
                                       mask_middle(value, 2, 4), 0.9)
                continue
            if run.digit_count not in _DIGIT_LENGTHS or not _carrier_blocks(run):
                continue
            if _CONTEXT.search(body, max(0, run.start - _REACH), run.start) is None:
                continue
            digits = "".join(body[start:end] for start, end in run.groups)
            if run.digit_count >= 20 and digits[0] != "9":
                continue
            yield make_finding(text, "TRACKING_NUMBER", part, (run.start, run.end), digits,
                               mask_middle(digits, 2, 4), 0.8)
