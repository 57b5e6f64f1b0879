"""Barcodes in an image with zxing-cpp: AAMVA PDF417 and any other readable symbol.

zxing-cpp finds 90°-rotated symbols itself, but a PDF417 photographed a few
degrees off is found and then fails its checksum; such a symbol is read again
after straightening by the measured skew, then at fixed small rotations. A
decode is trusted as AAMVA only when its header checks.
"""

from __future__ import annotations

from dataclasses import dataclass

import zxingcpp
from PIL import Image

from crossguard.message.images.aamva import is_aamva
from crossguard.message.images.budget import Deadline
from crossguard.message.images.preprocess import upright_angle

RETRY_ANGLES = (3.0, -3.0, 6.0, -6.0, 1.5, -1.5)
ALL = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.All)
PDF417 = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.PDF417)
_MAX_SIDE = 2400
_MIN_SIDE = 1200


@dataclass(frozen=True, slots=True)
class Code:
    """One decoded symbol: its format name and its text."""

    format: str
    text: str

    @property
    def aamva(self) -> bool:
        return self.format == "PDF417" and is_aamva(self.text)


def _read(
    image: Image.Image,
    formats: zxingcpp.BarcodeFormats,
    binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage,
) -> tuple[list[Code], bool]:
    """Valid codes read, and whether a PDF417 symbol was seen but failed to decode."""
    found = zxingcpp.read_barcodes(
        image,
        formats=formats,
        text_mode=zxingcpp.TextMode.Plain,
        binarizer=binarizer,
        return_errors=True,
    )
    codes = [Code(str(c.format).rsplit(".", 1)[-1], c.text) for c in found if c.valid]
    failed = any(not c.valid and c.format == zxingcpp.BarcodeFormat.PDF417 for c in found)
    return codes, failed


def _straightened(gray: Image.Image, angle: float) -> Image.Image:
    return gray.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255)


def read_codes(image: Image.Image, deadline: Deadline) -> list[Code]:
    """Every symbol in ``image``; a PDF417 seen but not decoded is read again straightened."""
    gray = image.convert("L")
    if max(gray.size) > _MAX_SIDE:
        gray.thumbnail((_MAX_SIDE, _MAX_SIDE), Image.Resampling.LANCZOS)
    elif max(gray.size) < _MIN_SIDE:  # PDF417 modules under ~2 px are not found
        gray = gray.resize((gray.width * 2, gray.height * 2), Image.Resampling.BICUBIC)
    codes, failed = _read(gray, ALL)
    if any(code.aamva for code in codes):
        return codes
    if not failed:  # the other binarizer finds some symbols the default misses
        found, failed = _read(gray, PDF417, zxingcpp.Binarizer.GlobalHistogram)
        if any(code.aamva for code in found):
            return [*codes, *(code for code in found if code.aamva)]
    if not failed:
        return codes
    skew = (upright_angle(gray) + 45) % 90 - 45  # PDF417 rows may read as vertical lines
    for angle in dict.fromkeys((skew, *RETRY_ANGLES)):
        if deadline.expired or not angle:
            continue
        found, _ = _read(_straightened(gray, angle), PDF417)
        if any(code.aamva for code in found):
            return [*codes, *(code for code in found if code.aamva)]
    return codes
