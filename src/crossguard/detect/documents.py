"""Findings from the identity documents image readers recognised (:class:`IdDocument`).

Kinds and value forms are the ones the customer index matches on:
DRIVER_LICENCE upper-case alphanumerics, PERSON_NAME "first last" folded,
DOB ISO date, POSTAL_ADDRESS the street line as printed, and
ID_DOCUMENT_IMAGE (value "aamva", "mrz" or "layout") for any image that is
an identity document, whoever it belongs to.
"""

from __future__ import annotations

from crossguard.core.documents import IdDocument, LicenceRecord
from crossguard.core.finding import Finding
from crossguard.core.mask import mask_middle, mask_name

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


def document_findings(document: IdDocument, path: str) -> list[Finding]:
    """ID_DOCUMENT_IMAGE for the document, then the identifiers read from it."""
    masked = _DOCUMENT_MASKS.get(document.kind, "identity document image")
    found = [_finding("ID_DOCUMENT_IMAGE", path, masked, document.confidence, document.source)]
    if document.licence is not None:
        found += _licence_findings(document.licence, path)
    found += [  # printed on a licence front: lower confidence
        _finding("DRIVER_LICENCE", path, mask_middle(number), 0.6, number)
        for number in document.printed_numbers
    ]
    return found


def _licence_findings(record: LicenceRecord, path: str) -> list[Finding]:
    """Findings for the fields of an AAMVA barcode (a decode with a valid header)."""
    found = [_finding("DRIVER_LICENCE", path, mask_middle(record.number), 0.99, record.number)]
    if record.first and record.last:
        name = f"{record.first} {record.last}"
        found.append(_finding("PERSON_NAME", path, mask_name(name), 0.95, name))
    if record.dob:
        found.append(_finding("DOB", path, mask_middle(record.dob, 0, 0), 0.95, record.dob))
    if record.street:
        masked = mask_middle(record.street, 0, 0)
        found.append(_finding("POSTAL_ADDRESS", path, masked, 0.9, record.street))
    return found
