"""Tesseract OCR of a document photo, through pipes (no temporary files), within a time budget.

The photo is normalized and turned upright (see :mod:`.preprocess`); text
lines found vertical are turned by 90°, and if that read is poor, by 270°. Lines that look
like a machine-readable zone are read again with the MRZ alphabet only.
"""

from __future__ import annotations

import io
import os
import re
import shlex
import subprocess
from dataclasses import dataclass

from PIL import Image

from crossguard.message.images.budget import Deadline
from crossguard.message.images.preprocess import normalize, rotate, upright_angle

MRZ_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
_GOOD_CONFIDENCE = 60.0
#: One thread per run: on 2 cores several single-threaded runs beat one that spawns threads.
_ENV = {"OMP_THREAD_LIMIT": "1"}
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


def _run(image: Image.Image, config: str, deadline: Deadline) -> dict[str, list[str]]:
    """Tesseract's TSV columns for ``image``: the PNG goes in on stdin, the TSV comes out on
    stdout, so no document photo and none of its text is ever written to a temporary file."""
    png = io.BytesIO()
    image.save(png, "PNG")
    command = ["tesseract", "stdin", "stdout", "-c", "tessedit_create_tsv=1", *shlex.split(config)]
    try:
        done = subprocess.run(command, input=png.getvalue(), capture_output=True, check=False,
                              timeout=deadline.remaining, env={**os.environ, **_ENV})
    except FileNotFoundError:
        raise OcrUnavailable from None
    except subprocess.TimeoutExpired:  # run() kills the process before raising
        raise OcrTimeout from None
    if done.returncode != 0:
        raise OcrUnavailable
    rows = [line.split("\t") for line in done.stdout.decode("utf-8", "replace").splitlines()]
    if not rows:
        raise OcrUnavailable
    header, body = rows[0], [row for row in rows[1:] if len(row) >= len(rows[0]) - 1]
    return {name: [row[index] if index < len(row) else "" for row in body]
            for index, name in enumerate(header)}


def _tesseract(image: Image.Image, config: str, deadline: Deadline) -> list[OcrLine]:
    """Lines read by one Tesseract run (single-threaded, killed at the deadline)."""
    if deadline.remaining < 0.05:
        raise OcrTimeout
    data = _run(image, config, deadline)
    texts = data["text"]

    def number(name: str, index: int) -> int:
        return int(float(data[name][index]))

    lines: dict[tuple[int, int, int], list[int]] = {}
    for index, word in enumerate(texts):
        if word.strip():
            key = (number("block_num", index), number("par_num", index),
                   number("line_num", index))
            lines.setdefault(key, []).append(index)
    result = []
    for indexes in lines.values():
        left = min(number("left", i) for i in indexes)
        top = min(number("top", i) for i in indexes)
        right = max(number("left", i) + number("width", i) for i in indexes)
        bottom = max(number("top", i) + number("height", i) for i in indexes)
        confidence = sum(float(number("conf", i)) for i in indexes) / len(indexes)
        text = " ".join(texts[i] for i in indexes)
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
