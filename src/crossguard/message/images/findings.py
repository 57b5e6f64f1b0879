"""Structural findings read from an identity-document image.

Kinds and value forms are the ones the customer index matches on:
DRIVER_LICENCE upper-case alphanumerics, PERSON_NAME "first last" folded,
DOB ISO date, POSTAL_ADDRESS the street line as printed, and
ID_DOCUMENT_IMAGE (value "aamva", "mrz" or "layout") for any image that is
an identity document, whoever it belongs to.
"""

from __future__ import annotations

from crossguard.core.finding import Finding
from crossguard.core.mask import mask_middle, mask_name
from crossguard.message.images.aamva import LicenceRecord

_DOCUMENT_MASKS = {
    "licence": "driver licence image",
    "passport": "passport image",
    "id card": "identity card image",
    "document": "identity document image",
}


def _finding(kind: str, path: str, masked: str, confidence: float, value: str) -> Finding:
    return Finding(
        kind, part=path, start=0, end=0, masked=masked, confidence=confidence, value=value
    )


def document_image(path: str, source: str, kind: str, confidence: float) -> Finding:
    """ID_DOCUMENT_IMAGE: ``source`` is how it was recognised, ``kind`` what it is."""
    masked = _DOCUMENT_MASKS.get(kind, "identity document image")
    return _finding("ID_DOCUMENT_IMAGE", path, masked, confidence, source)


def licence_findings(record: LicenceRecord, path: str) -> list[Finding]:
    """Findings for the fields of an AAMVA barcode (a decode with a valid header)."""
    kind = "id card" if record.doc_type == "ID" else "licence"
    found = [
        document_image(path, "aamva", kind, 0.99),
        _finding("DRIVER_LICENCE", path, mask_middle(record.number), 0.99, record.number),
    ]
    if record.first and record.last:
        name = f"{record.first} {record.last}"
        found.append(_finding("PERSON_NAME", path, mask_name(name), 0.95, name))
    if record.dob:
        found.append(_finding("DOB", path, mask_middle(record.dob, 0, 0), 0.95, record.dob))
    if record.street:
        masked = mask_middle(record.street, 0, 0)
        found.append(_finding("POSTAL_ADDRESS", path, masked, 0.9, record.street))
    return found


def printed_licence_numbers(numbers: list[str], path: str) -> list[Finding]:
    """DRIVER_LICENCE candidates OCR read on a licence front (lower confidence)."""
    return [
        _finding("DRIVER_LICENCE", path, mask_middle(number), 0.6, number) for number in numbers
    ]
