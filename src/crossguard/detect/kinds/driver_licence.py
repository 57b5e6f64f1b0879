"""DRIVER_LICENCE: US driver licence numbers in a state's format, only after a licence context word.

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
from crossguard.detect.base import context_hits, make_finding
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
_CONTEXT = re.compile(
    r"(?<![a-z])(?:driver'?s?[ \t]+licen[cs]e|driving[ \t]+licen[cs]e|licen[cs]e"
    r"(?:[ \t]*(?:no\.?|nr\.?|num(?:ber)?|#|id))?|dl[ \t]*(?:#|no\.?|num(?:ber)?)|dln)(?![a-z])",
    re.IGNORECASE,
)
_NEEDLES = ("licen", "dl#", "dl ", "dl\t", "dln")
_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9*]+(?:-[A-Za-z0-9*]+)*")
_REACH = 40


class DriverLicenceDetector:
    """Finds the first token in a US state format within a short reach of the context."""

    name: str = "driver_licence"
    kinds: tuple[str, ...] = ("DRIVER_LICENCE",)

    def __init__(self, settings: DetectSettings) -> None:
        self.settings = settings

    def find(self, text: NormalizedText, part: str) -> Iterator[Finding]:
        body = text.text
        for context in context_hits(text, _NEEDLES, _CONTEXT):
            limit = min(len(body), context.end() + _REACH)
            for token in _TOKEN.finditer(body, context.end(), limit):
                if token.end() == limit and limit < len(body) and body[limit].isalnum():
                    break
                shape = token.group().replace("-", "").upper()
                if not any(ch.isdigit() for ch in shape) or not _STATE_FORMATS.fullmatch(shape):
                    continue
                value = shape.replace("*", "")
                masked = mask_middle(value, 1, 2)
                yield make_finding(text, "DRIVER_LICENCE", part, token.span(), value, masked, 0.6)
                break
