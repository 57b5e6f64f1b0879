"""Identity-document layouts in OCR text: title words, field labels, licence numbers.

A licence or passport page names itself ("DRIVER LICENSE", "PASSPORT") or
carries several of the field labels AAMVA and ICAO layouts print (DLN, DOB,
EXP, SEX, CLASS...). On a licence, a printed licence number is a 6-15
character token with at least five digits that is not a date or a ZIP code.
"""

from __future__ import annotations

import re

_TITLES = {
    "licence": re.compile(
        r"\bDRIV(?:ER'?S?|ING)\s+LICEN[CS]E\b|\bCOMMERCIAL\s+DRIVER|\bPERMIS\s+DE\s+CONDUIRE",
        re.IGNORECASE,
    ),
    "passport": re.compile(r"\bPASSE?PORT\b|\bREISEPASS\b|\bPASAPORTE\b", re.IGNORECASE),
    "id card": re.compile(r"\bIDENTI(?:FICATION|TY)\s+CARD\b|\bCARTE\s+D'IDENTIT", re.IGNORECASE),
}
_LABELS = re.compile(r"\b(?:DLN|DL\s?NO|DOB|EXP|ISS|SEX|CLASS|RSTR|END|HGT|EYES|DD|LN|FN)\b")
_LICENCE_LABEL = re.compile(
    r"\b(?:DLN|DL|LIC(?:ENSE)?\s*(?:NO|#))\b\.?[:#]?\s*([A-Z0-9][A-Z0-9 -]{4,18})"
)
_TOKEN = re.compile(r"(?<![A-Za-z0-9/.-])([A-Z]{0,3}[0-9][A-Z0-9-]{4,18})(?![A-Za-z0-9/.-])")
_ZIP = re.compile(r"^\d{5}(?:-?\d{4})?$")


def document_kind(text: str) -> str | None:
    """'licence', 'passport', 'id card' or 'document' (labels only); None if no layout."""
    for kind, title in _TITLES.items():
        if title.search(text):
            return kind
    labels = {match.group().replace(" ", "") for match in _LABELS.finditer(text)}
    return "document" if len(labels) >= 2 else None


def _plausible_number(token: str) -> str | None:
    compact = re.sub(r"[^A-Z0-9]", "", token.upper())
    if not 6 <= len(compact) <= 15 or sum(ch.isdigit() for ch in compact) < 5:
        return None
    if _ZIP.match(token.strip()) or re.fullmatch(r"\d{1,2}-\d{1,2}-\d{2,4}", token.strip()):
        return None
    return compact


def licence_numbers(text: str) -> list[str]:
    """Licence-number candidates printed on a licence front, labelled ones first."""
    found: list[str] = []
    for match in _LICENCE_LABEL.finditer(text):
        number = _plausible_number(match.group(1).split("  ")[0])
        if number and number not in found:
            found.append(number)
    for line in text.splitlines():
        for match in _TOKEN.finditer(line):
            number = _plausible_number(match.group(1))
            if number and number not in found:
                found.append(number)
    return found
