"""PRODUCT_CODE: EAN-13, EAN-8, UPC-A and ISBN barcodes (GS1; python-stdnum ean, isbn).

ISBN-13 (978/979 prefix, valid check digit) is recognised alone; the other
barcodes only within reach of a barcode word (EAN, UPC, GTIN, ISBN, barcode).
Not sensitive: recognised, they never turn into a card or a national id.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from stdnum import ean, isbn

from crossguard.core.finding import Finding
from crossguard.detect.base import context_words, digit_runs, make_finding
from crossguard.detect.normalize import NormalizedText
from crossguard.detect.settings import DetectSettings

_CONTEXT = context_words("ean", "upc", "gtin", "isbn", "barcode", "bar code", "ean-13", "upc-a")
_LENGTHS = frozenset({8, 10, 12, 13})
_REACH = 40


class ProductCodeDetector:
    """Finds product barcodes and ISBNs."""

    name: str = "product_code"
    kinds: tuple[str, ...] = ("PRODUCT_CODE",)

    def __init__(self, settings: DetectSettings) -> None:
        self.settings = settings

    def find(self, text: NormalizedText, part: str) -> Iterator[Finding]:
        body = text.text
        for run in digit_runs(text):
            if run.attached or run.digit_count not in _LENGTHS:
                continue
            if any(gap not in ("-", " ") for gap in _gaps(body, run.groups)):
                continue
            digits = "".join(body[start:end] for start, end in run.groups)
            isbn13 = len(digits) == 13 and digits[:3] in ("978", "979") and ean.is_valid(digits)
            if not isbn13:
                near = _CONTEXT.search(body, max(0, run.start - _REACH), run.start)
                if near is None or not (ean.is_valid(digits) or isbn.is_valid(digits)):
                    continue
            yield make_finding(text, "PRODUCT_CODE", part, (run.start, run.end), digits,
                               digits[:3] + "*" * (len(digits) - 6) + digits[-3:], 0.8)


def _gaps(body: str, groups: tuple[tuple[int, int], ...]) -> list[str]:
    return [body[left[1]:right[0]] for left, right in itertools.pairwise(groups)]
