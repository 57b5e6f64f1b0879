"""ICAO 9303 machine-readable zone (TD3 passport) lines with real check digits."""

from __future__ import annotations

import unicodedata
from datetime import date

from crossguard.core.ids.mrz import calc_check_digit


def mrz_name(text: str) -> str:
    """Upper-case ASCII letters, every other character as ``<`` (simplified ICAO rules)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch if ch.isalpha() else "<" for ch in folded.upper())


def td3_lines(
    *,
    surname: str,
    given_names: str,
    number: str,
    nationality: str,
    birth: date,
    sex: str,
    expiry: date,
    issuer: str | None = None,
) -> tuple[str, str]:
    """The two 44-character lines of a passport data page."""
    names = f"{mrz_name(surname)}<<{mrz_name(given_names)}"
    line1 = f"P<{issuer or nationality}{names}"[:44].ljust(44, "<")
    doc = number.upper().ljust(9, "<")[:9]
    dob = birth.strftime("%y%m%d")
    exp = expiry.strftime("%y%m%d")
    personal = "<" * 14
    parts = [
        doc + calc_check_digit(doc),
        dob + calc_check_digit(dob),
        exp + calc_check_digit(exp),
        personal + calc_check_digit(personal),
    ]
    composite = calc_check_digit(parts[0] + parts[1] + parts[2] + parts[3])
    line2 = f"{parts[0]}{nationality}{parts[1]}{sex}{parts[2]}{parts[3]}{composite}"
    return line1, line2
