"""Tesseract OCR of a document photo, via pytesseract, within a time budget.

The photo is normalized and turned upright (see :mod:`.preprocess`); text
lines found vertical are turned by 90°, and if that read is poor, by 270°. Lines that look
like a machine-readable zone are read again with the MRZ alphabet only.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import pytesseract
from PIL import Image

from crossguard.message.images.budget import Deadline
from crossguard.message.images.preprocess import normalize, rotate, upright_angle

MRZ_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
_GOOD_CONFIDENCE = 60.0
_MRZ_HINT = re.compile("[<\u00ab\u2039]{2}|[<\u00ab\u2039K]{6}")


class OcrTimeout(Exception):
    """Tesseract did not finish within the image's time budget."""


class OcrUnavailable(Exception):
    """The tesseract program is not installed or cannot run."""


@dataclass(frozen=True, slots=True)
class OcrLine:
    """One line of recognised text, its box (left, top, right, bottom) and mean confidence."""

    text: str
    box: tuple[int, int, int, int]
    confidence: float


def _tesseract(image: Image.Image, config: str, deadline: Deadline) -> list[OcrLine]:
    """Lines read by one Tesseract run (single-threaded, killed at the deadline)."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    if deadline.remaining < 0.05:
        raise OcrTimeout
    try:
        data = pytesseract.image_to_data(
            image, config=config, timeout=deadline.remaining, output_type=pytesseract.Output.DICT
        )
    except pytesseract.TesseractNotFoundError:
        raise OcrUnavailable from None
    except RuntimeError as error:
        if "timeout" in str(error).lower():
            raise OcrTimeout from None
        raise OcrUnavailable from None
    lines: dict[tuple[int, int, int], list[int]] = {}
    for index, word in enumerate(data["text"]):
        if word.strip():
            key = (data["block_num"][index], data["par_num"][index], data["line_num"][index])
            lines.setdefault(key, []).append(index)
    result = []
    for indexes in lines.values():
        left = min(data["left"][i] for i in indexes)
        top = min(data["top"][i] for i in indexes)
        right = max(data["left"][i] + data["width"][i] for i in indexes)
        bottom = max(data["top"][i] + data["height"][i] for i in indexes)
        confidence = sum(float(data["conf"][i]) for i in indexes) / len(indexes)
        text = " ".join(data["text"][i] for i in indexes)
        result.append(OcrLine(text, (left, top, right, bottom), confidence))
    return result


def _confidence(lines: list[OcrLine]) -> float:
    """Median line confidence: upright text scores ~90, upside-down text under ~50."""
    ranked = sorted(line.confidence for line in lines)
    return ranked[len(ranked) // 2] if ranked else 0.0


@dataclass(frozen=True, slots=True)
class Page:
    """An upright, normalized document image and the lines Tesseract read on it."""

    image: Image.Image
    lines: list[OcrLine]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def read_page(image: Image.Image, deadline: Deadline) -> Page:
    """Normalize, turn upright and read a document photo."""
    gray = normalize(image)
    angle = upright_angle(gray)
    page = rotate(gray, angle)
    lines = _tesseract(page, "--psm 3", deadline)
    if abs(angle) > 45 and _confidence(lines) < _GOOD_CONFIDENCE:
        flipped = rotate(page, 180)
        again = _tesseract(flipped, "--psm 3", deadline)
        if _confidence(again) > _confidence(lines):
            page, lines = flipped, again
    return Page(page, lines)


def read_mrz(page: Page, deadline: Deadline) -> list[str]:
    """The MRZ area read again with the MRZ alphabet only, if some line hints at one."""
    hinted = [line for line in page.lines if _MRZ_HINT.search(line.text)]
    if not hinted:
        return []
    height = max(line.box[3] - line.box[1] for line in hinted)
    box = (
        0,
        max(0, min(line.box[1] for line in hinted) - height),
        page.image.width,
        min(page.image.height, max(line.box[3] for line in hinted) + height),
    )
    config = f"--psm 6 -c tessedit_char_whitelist={MRZ_ALPHABET}"
    lines = _tesseract(page.image.crop(box), config, deadline)
    return [line.text.replace(" ", "") for line in lines]
