"""Reading identity documents in images (OCR, barcodes, MRZ).

:func:`read_image` decodes one image within its limits, reads barcodes
(AAMVA PDF417 licence backs become structured findings, other symbols text),
runs Tesseract for the ordinary text detectors, repairs any machine-readable
zone into clean lines, and marks identity documents with ID_DOCUMENT_IMAGE.
Every problem is a parse note through ``note``; nothing raises.
"""

from __future__ import annotations

from collections.abc import Callable

from crossguard.detect.finding import Finding
from crossguard.message.images import aamva
from crossguard.message.images.barcodes import read_codes
from crossguard.message.images.budget import Deadline
from crossguard.message.images.decode import ImageRejected, decode_image
from crossguard.message.images.findings import (
    document_image,
    licence_findings,
    printed_licence_numbers,
)
from crossguard.message.images.layout import document_kind, licence_numbers
from crossguard.message.images.mrz import Zone, find_zones
from crossguard.message.images.ocr import OcrTimeout, OcrUnavailable, read_text
from crossguard.message.settings import ImageSettings

NoteFn = Callable[[str, str], None]

__all__ = ["NoteFn", "read_image"]


def read_image(
    data: bytes, path: str, settings: ImageSettings, note: NoteFn
) -> tuple[str, list[Finding]]:
    """Text and structured findings read from one encoded image.

    ``note(kind, reason)`` records a parse note for this part. Never raises.
    """
    deadline = Deadline(settings.per_image_seconds)
    try:
        return _read(data, path, settings, note, deadline)
    except ImageRejected as rejected:
        note(rejected.kind, rejected.reason)
    except OcrTimeout:
        note("image_timeout", f"image not fully read within {settings.per_image_seconds:g} s")
    except Exception as error:  # a decoder bug must not let the message through unread
        note("image_not_read", f"image reader failed ({type(error).__name__})")
    return "", []


def _read(
    data: bytes, path: str, settings: ImageSettings, note: NoteFn, deadline: Deadline
) -> tuple[str, list[Finding]]:
    image = decode_image(data, settings)
    findings: list[Finding] = []
    texts: list[str] = []
    for code in read_codes(image, deadline):
        record = aamva.parse(code.text) if code.aamva else None
        if record is not None:
            findings.extend(licence_findings(record, path))
        elif not code.aamva:
            texts.append(code.text)
    if deadline.expired:
        raise OcrTimeout
    if findings or not settings.ocr:
        return "\n".join(texts), findings
    try:
        page, mrz_reads = read_text(image, deadline)
    except OcrUnavailable:
        note("ocr_unavailable", "tesseract is not installed or failed; image text not read")
        return "\n".join(texts), findings
    zones = sorted(find_zones(mrz_reads) + find_zones(page.splitlines()), key=lambda z: not z.valid)
    if zones:
        page = _with_zone(page, zones[0])
        kind = "passport" if zones[0].format == "TD3" else "id card"
        findings.append(document_image(path, "mrz", kind, 0.95 if zones[0].valid else 0.7))
    else:
        layout = document_kind(page)
        if layout is not None:
            findings.append(document_image(path, "layout", layout, 0.8))
            if layout == "licence":
                findings.extend(printed_licence_numbers(licence_numbers(page), path))
    return "\n".join([page, *texts]).strip(), findings


def _with_zone(page: str, zone: Zone) -> str:
    """``page`` with OCR's raw MRZ lines replaced by the repaired zone."""
    kept = [line for line in page.splitlines() if line.count("<") + line.count("«") < 3]
    return "\n".join([*kept, *zone.lines])
