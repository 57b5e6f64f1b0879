"""Reading identity documents in images (OCR, barcodes, MRZ).

:func:`read_image` decodes one image within its limits, reads barcodes
(AAMVA PDF417 licence backs become licence records, other symbols text),
runs Tesseract for the ordinary text detectors, repairs any machine-readable
zone into clean lines, and reports each identity document it recognises as an
:class:`~crossguard.core.documents.IdDocument` (``detect`` makes the findings).
Every problem is a parse note through ``note``; nothing raises.
"""

from __future__ import annotations

from collections.abc import Callable

from PIL import Image

from crossguard.core.documents import IdDocument
from crossguard.message.images import aamva
from crossguard.message.images.barcodes import read_codes
from crossguard.message.images.budget import Deadline
from crossguard.message.images.decode import ImageRejected, decode_image
from crossguard.message.images.layout import document_kind, licence_numbers
from crossguard.message.images.mrz import Zone, find_zones
from crossguard.message.images.ocr import OcrTimeout, OcrUnavailable, read_mrz, read_page
from crossguard.message.settings import ImageSettings

NoteFn = Callable[[str, str], None]

__all__ = ["NoteFn", "read_image"]


def read_image(
    data: bytes, settings: ImageSettings, note: NoteFn
) -> tuple[str, list[IdDocument]]:
    """Text and the identity documents read from one encoded image.

    ``note(kind, reason)`` records a parse note for this part. Never raises.
    """
    deadline = Deadline(settings.per_image_seconds)
    try:
        return _read(data, settings, note, deadline)
    except ImageRejected as rejected:
        note(rejected.kind, rejected.reason)
    except OcrTimeout:
        note("image_timeout", f"image not fully read within {settings.per_image_seconds:g} s")
    except Exception as error:  # a decoder bug must not let the message through unread
        note("image_not_read", f"image reader failed ({type(error).__name__})")
    return "", []


def _read(
    data: bytes, settings: ImageSettings, note: NoteFn, deadline: Deadline
) -> tuple[str, list[IdDocument]]:
    image = decode_image(data, settings)
    documents: list[IdDocument] = []
    texts: list[str] = []
    for code in read_codes(image, deadline):
        record = aamva.parse(code.text) if code.aamva else None
        if record is not None:
            kind = "id card" if record.doc_type == "ID" else "licence"
            documents.append(IdDocument("aamva", kind, 0.99, record))
        elif not code.aamva:
            texts.append(code.text)
    if deadline.expired:
        raise OcrTimeout
    if documents or not settings.ocr:
        return "\n".join(texts), documents
    try:
        text, found = _read_text(image, deadline, note)
    except OcrUnavailable:
        note("ocr_unavailable", "tesseract is not installed or failed; image text not read")
        return "\n".join(texts), documents
    return "\n".join([text, *texts]).strip(), found


def _read_text(
    image: Image.Image, deadline: Deadline, note: NoteFn
) -> tuple[str, list[IdDocument]]:
    """OCR text with any MRZ repaired, and the document its zone or layout shows."""
    page = read_page(image, deadline)
    text = page.text
    zones = find_zones(text.splitlines())
    if not any(zone.valid for zone in zones):
        try:
            zones = find_zones(read_mrz(page, deadline)) + zones
        except OcrTimeout:  # keep what the page read gave, say the rest is missing
            note("image_timeout", "machine-readable zone not re-read within the time budget")
        zones.sort(key=lambda zone: not zone.valid)
    if zones:
        kind = "passport" if zones[0].format == "TD3" else "id card"
        confidence = 0.95 if zones[0].valid else 0.7
        return _with_zone(text, zones[0]), [IdDocument("mrz", kind, confidence)]
    layout = document_kind(text)
    if layout is None:
        return text, []
    printed = tuple(licence_numbers(text)) if layout == "licence" else ()
    return text, [IdDocument("layout", layout, 0.8, printed_numbers=printed)]


def _with_zone(page: str, zone: Zone) -> str:
    """``page`` with OCR's raw MRZ lines replaced by the repaired zone."""
    kept = [line for line in page.splitlines() if line.count("<") + line.count("«") < 3]
    return "\n".join([*kept, *zone.lines])
