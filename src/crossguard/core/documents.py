"""Identity documents read from images: the structured records image readers hand to detect.

``message.images`` fills them from barcodes, machine-readable zones and page
layouts; ``detect.documents`` turns them into findings. Values are normalized
(names folded, dates ISO) and, like a Finding's value, never logged.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True, repr=False)
class LicenceRecord:
    """The identifying fields of one AAMVA record, normalized (no repr: they are raw values)."""

    number: str
    first: str
    last: str
    dob: str
    street: str
    doc_type: str


@dataclass(frozen=True, slots=True)
class IdDocument:
    """An identity document recognised in one image, and the identifiers read from it.

    ``source`` is how it was recognised (``aamva``, ``mrz``, ``layout``), ``kind``
    what it is (``licence``, ``passport``, ``id card``, ``document``). ``licence``
    holds an AAMVA barcode's fields; ``printed_numbers`` the licence-number
    candidates OCR read on a licence front.
    """

    source: str
    kind: str
    confidence: float
    licence: LicenceRecord | None = field(default=None, repr=False)
    printed_numbers: tuple[str, ...] = field(default=(), repr=False)
