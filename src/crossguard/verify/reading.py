"""Read an uploaded document with the ID-image pipeline and match it to the link's customer.

The upload becomes one attachment of an in-memory message, so the same code
that checks outbound mail reads it: barcodes (AAMVA PDF417), MRZ and OCR for
images, page text and embedded images for PDFs. Its findings are attributed
against the customer index with the exact-data-match evidence model:

* ``match``: the link's customer is attributed, and nobody scores higher;
* ``mismatch``: the document names an identifiable person who is not that
  customer (another customer, or nobody in the index);
* ``unreadable``: nothing identifying could be read.

Only masked values leave this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from crossguard.scan import Guard

#: Kinds that say whose document it is (an ID_DOCUMENT_IMAGE alone does not).
PERSONAL = frozenset({"DRIVER_LICENCE", "PASSPORT", "PASSPORT_MRZ", "PERSON_NAME", "DOB",
                      "US_SSN", "UK_NINO", "CA_SIN"})
_SUBTYPES = {"jpeg": ("image", "jpeg"), "png": ("image", "png"), "heic": ("image", "heic"),
             "pdf": ("application", "pdf")}


@dataclass(frozen=True, slots=True)
class Reading:
    """What reading a document found, masked: the outcome and its evidence."""

    outcome: str
    document: str | None
    found: list[dict[str, Any]] = field(default_factory=list)
    matched: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "document": self.document, "found": self.found,
                "matched": self.matched, "notes": self.notes}


def _as_message(data: bytes, kind: str) -> bytes:
    message = EmailMessage()
    message["From"] = "verify@crossguard.invalid"
    message["Subject"] = "upload"
    maintype, subtype = _SUBTYPES[kind]
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=f"upload.{kind}")
    return message.as_bytes()


def read_document(guard: Guard, customer_id: str, data: bytes, kind: str) -> Reading:
    """Read ``data`` (of sniffed ``kind``) and say whether it belongs to ``customer_id``."""
    evaluation = guard.evaluate(_as_message(data, kind))
    verdict = evaluation.verdict
    findings = [finding for finding in verdict.findings if finding.part != "1"]
    attributions = verdict.attributions
    document = next((finding.masked for finding in findings
                     if finding.kind == "ID_DOCUMENT_IMAGE"), None)
    found = [{"kind": finding.kind, "masked": finding.masked} for finding in findings
             if finding.kind != "ID_DOCUMENT_IMAGE"]
    notes = [note.kind for note in evaluation.message.notes]
    mine = next((item for item in attributions if item.customer_id == customer_id), None)
    if mine is not None and mine.score >= attributions[0].score:
        matched = [{"kind": item.kind, "masked": item.masked} for item in mine.evidence]
        return Reading("match", document, found, matched, notes)
    if attributions or any(finding.kind in PERSONAL for finding in findings):
        return Reading("mismatch", document, found, [], notes)
    return Reading("unreadable", document, found, [], notes)
