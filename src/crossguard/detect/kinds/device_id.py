"""IMEI, MEID and SERIAL_NUMBER: a phone's device ids (3GPP TS 23.003; python-stdnum).

* IMEI: 15 digits with a Luhn check digit (``stdnum.imei``), written whole or
  2-6-6-1 / 8-6-1. Next to the word IMEI it is an IMEI; without it, only
  when the type-allocation code starts with a reporting body's prefix (01
  CTIA, 35 BABT, 86 TAF, 99 GHA), which no card network issues at 15 digits.
* MEID: 14 hexadecimal characters (``stdnum.meid``), after the word MEID.
* SERIAL_NUMBER: the token after "serial number", "serial no", "S/N": 6-24
  letters and digits with at least one digit.

They are not sensitive on their own (no hold when nobody owns them), but a
customer owns their devices: the optional ``device_ids`` column of the
customer table indexes them (index kind DEVICE_ID), and a device id of one
customer sent to another is a cross-customer exposure like any identifier.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import imei, meid

from crossguard.core.finding import Finding
from crossguard.core.mask import mask_middle
from crossguard.detect.base import (
    context_hits,
    context_words,
    has_context,
    make_finding,
    shaped_windows,
)
from crossguard.detect.normalize import NormalizedText
from crossguard.detect.settings import DetectSettings

_IMEI_CONTEXT = context_words("imei", "imei number", "imei no", "imei/meid", "device id")
_REPORTING_BODIES = ("01", "35", "86", "99")
_SERIAL = re.compile(
    r"(?<![a-z])(?:serial(?:[ \t]*(?:number|no\.?|num|#))?|s/n|meid)(?![a-z])[ \t]*[:#.]?[ \t]*",
    re.IGNORECASE,
)
_NEEDLES = ("serial", "s/n", "meid")
_TOKEN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{4,28})[A-Za-z0-9](?![A-Za-z0-9])")


def _luhn_valid(digits: str) -> bool:
    """The Luhn check of an IMEI (what ``stdnum.imei`` checks, inlined: the hot path)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        number = ord(char) - 48
        if position % 2:
            number = number * 2 - 9 if number > 4 else number * 2
        total += number
    return total % 10 == 0


def _compact(value: str) -> str:
    return "".join(ch for ch in value if ch.isalnum()).upper()


class DeviceIdDetector:
    """Finds IMEIs, MEIDs and serial numbers."""

    name: str = "device_id"
    kinds: tuple[str, ...] = ("IMEI", "MEID", "SERIAL_NUMBER")

    def __init__(self, settings: DetectSettings) -> None:
        self.window = settings.context_window

    def find(self, text: NormalizedText, part: str) -> Iterator[Finding]:
        yield from self._imeis(text, part)
        yield from self._after_words(text, part)

    def _imeis(self, text: NormalizedText, part: str) -> Iterator[Finding]:
        for window in shaped_windows(text, (15,), (2, 6, 6, 1), (8, 6, 1)):
            digits = window.digits
            if not _luhn_valid(digits):
                continue
            span = (window.start, window.end)
            if has_context(text, *span, _IMEI_CONTEXT, self.window):
                confidence = 0.9
            elif digits[:2] in _REPORTING_BODIES:
                confidence = 0.6
            else:
                continue
            yield make_finding(text, "IMEI", part, span, digits, mask_middle(digits, 2, 3),
                               confidence)

    def _after_words(self, text: NormalizedText, part: str) -> Iterator[Finding]:
        body = text.text
        for context in context_hits(text, _NEEDLES, _SERIAL):
            token = _TOKEN.match(body, context.end())
            if token is None:
                continue
            value = _compact(token.group())
            if not any(ch.isdigit() for ch in value) or not 6 <= len(value) <= 24:
                continue
            if context.group().lower().startswith("meid"):
                if not meid.is_valid(value):
                    continue
                kind = "MEID"
            elif len(value) == 15 and imei.is_valid(value):
                continue  # "serial number: <IMEI>" is read as the IMEI above
            else:
                kind = "SERIAL_NUMBER"
            yield make_finding(text, kind, part, token.span(), value, mask_middle(value, 2, 3),
                               0.8)
