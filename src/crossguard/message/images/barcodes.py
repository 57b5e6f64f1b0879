"""Barcodes in an image with zxing-cpp: AAMVA PDF417 and any other readable symbol.

zxing-cpp finds 90°-rotated symbols itself, but a PDF417 photographed a few
degrees off decodes only after straightening, so failed reads are retried at
small rotations. A decode is trusted as AAMVA only when its header checks.
"""

from __future__ import annotations

from dataclasses import dataclass

import zxingcpp
from PIL import Image

from crossguard.message.images.aamva import is_aamva
from crossguard.message.images.budget import Deadline

RETRY_ANGLES = (3.0, -3.0, 6.0, -6.0, 1.5, -1.5)
ALL = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.All)
PDF417 = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.PDF417)
_MAX_SIDE = 2400


@dataclass(frozen=True, slots=True)
class Code:
    """One decoded symbol: its format name and its text."""

    format: str
    text: str

    @property
    def aamva(self) -> bool:
        return self.format == "PDF417" and is_aamva(self.text)


def _read(image: Image.Image, formats: zxingcpp.BarcodeFormats) -> list[Code]:
    found = zxingcpp.read_barcodes(image, formats=formats, text_mode=zxingcpp.TextMode.Plain)
    return [Code(str(code.format).rsplit(".", 1)[-1], code.text) for code in found if code.valid]


def read_codes(image: Image.Image, deadline: Deadline) -> list[Code]:
    """Every symbol read from ``image``; small rotations are tried until an AAMVA code reads."""
    gray = image.convert("L")
    if max(gray.size) > _MAX_SIDE:
        gray.thumbnail((_MAX_SIDE, _MAX_SIDE), Image.Resampling.LANCZOS)
    codes = _read(gray, ALL)
    if any(code.aamva for code in codes):
        return codes
    for angle in RETRY_ANGLES:
        if deadline.expired:
            break
        turned = gray.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255)
        found = [code for code in _read(turned, PDF417) if code.aamva]
        if found:
            return [*codes, *found]
    return codes
