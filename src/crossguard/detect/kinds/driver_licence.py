"""DRIVER_LICENCE: US driver licence numbers in a state's format, in a sentence with a licence word.

Formats (``#`` a digit, ``?`` a letter, other characters literal) are the
distinct per-state formats of faker-ruby's ``driving_license.yml`` as shipped
in Presidio's ``us_driver_license_format.yaml``; formats without a digit
(all letters) are left out. The value is upper-case alphanumerics.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from crossguard.core.finding import Finding
from crossguard.core.mask import mask_middle
from crossguard.detect.base import make_finding
from crossguard.detect.context import sentence, shared
from crossguard.detect.normalize import NormalizedText
from crossguard.detect.settings import DetectSettings

FORMATS: tuple[str, ...] = (
    "?##################",
    "################",
    "?##############",
    "##############",
    "?#############",
    "#############",
    "?############",
    "############",
    "?###########",
    "???????#####",
    "???????####*",
    "????????####",
    "?????????###",
    "??????????##",
    "???????????#",
    "###########",
    "?##########",
    "##########",
    "#########?",
    "########??",
    "##???#####",
    "?#########",
    "#########",
    "###??####",
    "?########",
    "??#######",
    "X########",
    "########",
    "#######?",
    "#######A",
    "?#######",
    "?######R",
    "??######",
    "#######",
    "?######",
    "??#####",
    "######",
    "?#?#?",
)


def _regex(formats: tuple[str, ...]) -> re.Pattern[str]:
    def one(fmt: str) -> str:
        return "".join(
            r"\d" if ch == "#" else "[A-Z]" if ch == "?" else re.escape(ch) for ch in fmt
        )

    return re.compile("|".join(f"(?:{one(fmt)})" for fmt in formats))


_STATE_FORMATS = _regex(FORMATS)
_KINDS = frozenset({"driver_licence"})
_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9*]+(?:-[A-Za-z0-9*]+)*")


class DriverLicenceDetector:
    """Finds the token in a US state format nearest a licence word in its sentence."""

    name: str = "driver_licence"
    kinds: tuple[str, ...] = ("DRIVER_LICENCE",)

    def __init__(self, settings: DetectSettings) -> None:
        self.context = shared()

    def find(self, text: NormalizedText, part: str) -> Iterator[Finding]:
        body = text.text
        taken: set[tuple[int, int]] = set()
        for hit in self.context.of_kind(text, _KINDS):
            low, high = sentence(text, hit.start, hit.end)
            token = next(_licences(body, hit.end, high), None)
            if token is None:
                token = next(reversed(list(_licences(body, low, hit.start))), None)
            if token is None or token.span() in taken:
                continue
            taken.add(token.span())
            value = token.group().replace("-", "").upper().replace("*", "")
            masked = mask_middle(value, 1, 2)
            yield make_finding(text, "DRIVER_LICENCE", part, token.span(), value, masked, 0.6)


def _licences(body: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """Tokens of ``body[start:end]`` in a state format (with at least one digit)."""
    for token in _TOKEN.finditer(body, start, end):
        shape = token.group().replace("-", "").upper()
        if any(ch.isdigit() for ch in shape) and _STATE_FORMATS.fullmatch(shape):
            yield token
