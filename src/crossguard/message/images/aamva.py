"""AAMVA DL/ID barcode payloads (the PDF417 on the back of North American licences).

Follows the AAMVA DL/ID Card Design Standard (2020, annex D): a header
``@`` LF RS CR ``ANSI `` + issuer id (6) + AAMVA version (2) + jurisdiction
version (2) + number of entries (2), then one 10-character designator per
subfile (type, offset, length), then subfiles ``DL``/``ID`` of data elements
separated by LF and ended by CR. Element ids used here (table D.3): DAQ
customer id number, DCS family name, DAC first name, DAD middle names, DCT
given names (versions 2-3), DAA full name (version 1), DBB date of birth
(MMDDCCYY in the US, CCYYMMDD in Canada), DAG/DAH street, DAI city, DAJ
jurisdiction, DAK postal code, DCG country.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from crossguard.core.documents import LicenceRecord

HEADER = re.compile(r"@\n[\x1e\x1c]\r(?:ANSI |AAMVA)(\d{6})(\d{2})")
_SUBFILE_TYPES = ("DL", "ID")
_ELEMENT = re.compile(r"D[A-Z]{2}")


def is_aamva(text: str) -> bool:
    """True if ``text`` starts with a well-formed AAMVA header."""
    return HEADER.match(text) is not None


def fold(text: str) -> str:
    """Case- and accent-folded lower case with single spaces."""
    stripped = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    return " ".join(stripped.casefold().split())


def _subfiles(text: str, version: int) -> list[tuple[str, str]]:
    """(type, body) of each DL/ID subfile; falls back to a search when offsets are wrong."""
    start = 21 if version >= 2 else 19
    count_text = text[start - 2 : start]
    count = int(count_text) if count_text.isdigit() else 0
    found: list[tuple[str, str]] = []
    for index in range(count):
        entry = text[start + 10 * index : start + 10 * (index + 1)]
        kind, offset, length = entry[:2], entry[2:6], entry[6:10]
        if kind not in _SUBFILE_TYPES or not (offset.isdigit() and length.isdigit()):
            continue
        body = text[int(offset) : int(offset) + int(length)]
        if not body.startswith(kind):
            position = text.find(kind + "D", start + 10 * count)
            body = text[position:] if position >= 0 else ""
        if body:
            found.append((kind, body[2:]))
    return found


def elements(text: str) -> tuple[str, dict[str, str]]:
    """The document type and the data elements (id -> value) of an AAMVA payload."""
    match = HEADER.match(text)
    if match is None:
        return "", {}
    fields: dict[str, str] = {}
    doc_type = ""
    for kind, body in _subfiles(text, int(match.group(2))):
        doc_type = doc_type or kind
        for line in re.split(r"[\n\r]", body):
            line = line.strip()
            if _ELEMENT.match(line) and line[:3] not in fields:
                fields[line[:3]] = line[3:].strip()
    return doc_type, fields


def _birth_date(raw: str, country: str) -> str:
    """ISO date from DBB: MMDDCCYY (US) or CCYYMMDD (Canada); "" if invalid."""
    digits = re.sub(r"\D", "", raw)
    if len(digits) != 8:
        return ""
    if country == "CAN" or (digits[:2] in ("19", "20") and int(digits[4:6]) <= 12):
        year, month, day = digits[:4], digits[4:6], digits[6:]
    else:
        month, day, year = digits[:2], digits[2:4], digits[4:]
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return ""


def _names(fields: dict[str, str]) -> tuple[str, str]:
    """(first, last) from DAC/DCS, DCT (given names) or DAA (LAST,FIRST,MIDDLE)."""
    last = fields.get("DCS", "")
    first = fields.get("DAC", "")
    if not first and fields.get("DCT"):
        first = re.split(r"[, ]", fields["DCT"].strip())[0]
    if (not first or not last) and fields.get("DAA"):
        parts = [p.strip() for p in re.split(r"[,$]", fields["DAA"]) if p.strip()]
        if len(parts) >= 2:
            last, first = last or parts[0], first or parts[1]
    return first, last


def parse(text: str) -> LicenceRecord | None:
    """The licence record in an AAMVA payload, or None if it has no licence number."""
    doc_type, fields = elements(text)
    number = re.sub(r"[^0-9A-Za-z]", "", fields.get("DAQ", "")).upper()
    if not number:
        return None
    first, last = _names(fields)
    unknown = {"NONE", "UNAVL", "UNAVAILABLE"}
    return LicenceRecord(
        number=number,
        first=fold(first) if first.upper() not in unknown else "",
        last=fold(last) if last.upper() not in unknown else "",
        dob=_birth_date(fields.get("DBB", ""), fields.get("DCG", "USA").upper()),
        street=fields.get("DAG", ""),
        doc_type=doc_type,
    )
