"""Make a phone photo of a document readable by Tesseract: gray, contrast, size, upright."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter, ImageOps

TARGET_SIDE = 1300
SKEW_ANGLES = tuple(a / 2 for a in range(-16, 17))
_PROBE_SIDE = 700


def normalize(image: Image.Image) -> Image.Image:
    """Grayscale, autocontrast, and scale so the longer side is ``TARGET_SIDE`` (±15%)."""
    gray = ImageOps.autocontrast(image.convert("L"), cutoff=1)
    side = max(gray.size)
    if not TARGET_SIDE / 1.15 <= side <= TARGET_SIDE * 1.15:
        factor = TARGET_SIDE / side
        size = (max(1, round(gray.width * factor)), max(1, round(gray.height * factor)))
        gray = gray.resize(size, Image.Resampling.LANCZOS)
    return gray


def _ink(gray: Image.Image) -> Image.Image:
    """A small mask of pixels clearly darker than their surroundings (text strokes)."""
    probe = gray.copy()
    probe.thumbnail((_PROBE_SIDE, _PROBE_SIDE), Image.Resampling.BILINEAR)
    pixels = np.asarray(probe, dtype=np.int16)
    local = np.asarray(probe.filter(ImageFilter.BoxBlur(8)), dtype=np.int16)
    return Image.fromarray(((local - pixels) > 18).astype(np.uint8) * 255)


def _line_score(mask: Image.Image, angle: float) -> float:
    """How sharply the rows separate into text lines after rotating by ``angle``."""
    turned = np.asarray(
        mask.rotate(angle, resample=Image.Resampling.NEAREST, expand=True), dtype=np.float32
    )
    profile = turned.sum(axis=1)
    return float(np.square(np.diff(profile)).sum())


def upright_angle(gray: Image.Image) -> float:
    """Rotation (degrees, counter-clockwise) that makes text lines horizontal.

    Checks small skews around 0° and around 90°; the result is one of them,
    which leaves the 180° ambiguity to the caller.
    """
    mask = _ink(gray)
    if not np.asarray(mask).any():
        return 0.0
    candidates = [*SKEW_ANGLES, *(90 + a for a in SKEW_ANGLES)]
    scores = {angle: _line_score(mask, angle) for angle in candidates}
    return max(scores, key=lambda angle: scores[angle])


def rotate(gray: Image.Image, angle: float) -> Image.Image:
    """``gray`` turned by ``angle`` degrees, new corners filled white."""
    if angle == 0:
        return gray
    if angle % 90 == 0:
        return gray.rotate(angle, expand=True)
    return gray.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
