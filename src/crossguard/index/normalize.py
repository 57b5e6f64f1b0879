"""Normalization of customer values, one function per kind.

The forms are exactly the detectors' ``Finding.value`` forms, so that a value
found in a message and the same value in the customer table hash alike:
email lower-cased; phone E.164; card digits; licence, passport and national id
upper-case alphanumerics; date of birth ISO; order id upper-cased. Names and
street lines become folded tokens (see :func:`fold_tokens`).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

import phonenumbers

_NON_ALNUM = re.compile(r"[^0-9A-Za-z]+")
_NON_DIGIT = re.compile(r"\D")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}$")
TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)?", re.UNICODE)
_POSTCODE_SPACES = re.compile(r"\s+")

#: Street-line words folded to one spelling (USPS Publication 28 suffixes, the usual ones).
STREET_WORDS: dict[str, str] = {
    "street": "st", "str": "st", "avenue": "ave", "av": "ave", "road": "rd", "drive": "dr",
    "boulevard": "blvd", "lane": "ln", "court": "ct", "place": "pl", "square": "sq",
    "terrace": "ter", "parkway": "pkwy", "highway": "hwy", "circle": "cir", "suite": "ste",
    "apartment": "apt", "north": "n", "south": "s", "east": "e", "west": "w", "mount": "mt",
    "point": "pt", "trail": "trl", "way": "way", "crossing": "xing", "heights": "hts",
    "junction": "jct", "center": "ctr", "centre": "ctr", "mountain": "mtn", "expressway": "expy",
}
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d %B %Y", "%B %d, %Y")


def email(value: str) -> str | None:
    value = value.strip().lower()
    return value if "@" in value and "." in value.rpartition("@")[2] else None


def _nanp(value: str) -> str | None:
    """E.164 of a plain 10-digit North American number (area and exchange codes 2-9xx)."""
    digits = _NON_DIGIT.sub("", value)
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    plain = not any(ch.isalpha() for ch in value) and "+" not in value.replace("+1", "", 1)
    if plain and len(digits) == 10 and digits[0] in "23456789" and digits[3] in "23456789":
        return "+1" + digits
    return None


def phone(value: str, country: str) -> str | None:
    """E.164, or None when phonenumbers cannot read a valid number.

    Plain North American numbers take a fast path (the customer table may hold
    millions); everything else goes through phonenumbers.
    """
    if country in ("US", "CA") and (fast := _nanp(value)) is not None:
        return fast
    try:
        number = phonenumbers.parse(value, country or None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def card(value: str) -> str | None:
    digits = re.sub(r"\D", "", value)
    return digits if 12 <= len(digits) <= 19 else None


def identifier(value: str) -> str | None:
    """Licence, passport, national id: upper-case alphanumerics."""
    compact = _NON_ALNUM.sub("", value).upper()
    return compact or None


#: Letters OCR and people confuse with digits in document numbers; folded on both sides.
_CONFUSABLE = str.maketrans({"O": "0", "I": "1"})


def document_number(value: str) -> str:
    """A licence, passport or national id number as fingerprinted: O and I read as 0 and 1.

    OCR of a licence photo reads ``I2564217`` as ``12564217``; folding the
    confusable letters on both sides makes the two match.
    """
    return value.upper().translate(_CONFUSABLE)


def order_id(value: str) -> str | None:
    compact = value.strip().upper()
    return compact or None


def dob(value: str) -> str | None:
    value = value.strip()
    if _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            return None
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).date().isoformat()
        except ValueError:
            continue
    return None


def postcode(value: str) -> str | None:
    compact = _POSTCODE_SPACES.sub("", value).upper()
    if compact.isdigit() and len(compact) == 9:  # ZIP+4 without dash: keep the ZIP
        compact = compact[:5]
    return compact.split("-")[0] or None


def fold(text: str) -> str:
    """Case-, accent- and compatibility-folded text."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def fold_tokens(text: str) -> list[str]:
    """Word tokens of ``text`` folded for matching (street words abbreviated)."""
    return [STREET_WORDS.get(token, token) for token in TOKEN.findall(fold(text))]


def iter_tokens(text: str) -> list[tuple[str, int, int]]:
    """Folded tokens with their spans in ``text`` (folding keeps one char per char)."""
    return [
        (STREET_WORDS.get(token, token), match.start(), match.end())
        for match in TOKEN.finditer(text)
        for token in (fold(match.group()),)
    ]


def name_tokens(name: str) -> list[str]:
    """A person's name as tokens, initials and honorifics kept out of the first/last pair."""
    return fold_tokens(name)


def street_tokens(address: str) -> list[str]:
    """The street line of an address: house number and street words, no unit, no city."""
    first_line = re.split(r"[,\n]", address, maxsplit=1)[0]
    tokens = fold_tokens(first_line)
    for unit in ("apt", "ste", "unit", "floor", "fl"):
        if unit in tokens[1:]:
            tokens = tokens[: tokens.index(unit, 1)]
    return tokens if len(tokens) >= 2 and tokens[0][:1].isdigit() else []
