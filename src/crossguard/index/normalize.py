"""Normalization of customer values, one function per kind.

The forms are exactly the detectors' ``Finding.value`` forms, so that a value
found in a message and the same value in the customer table hash alike:
email lower-cased; phone E.164; card digits; IBAN compact; licence, passport and
national id upper-case alphanumerics; date of birth ISO; order id upper-cased. Names and
street lines become folded tokens (see :func:`fold_tokens`). Values whose
reading depends on the customer's country (phone, date of birth, postcode,
national id) are read in the row's country (:mod:`crossguard.core.locales`).
"""

from __future__ import annotations

import re

import phonenumbers
from stdnum import iban as stdnum_iban
from stdnum import luhn

from crossguard.core.locales import addresses, national_ids, postcodes
from crossguard.core.locales.data import country as country_rules
from crossguard.core.locales.dates import read_date

_NON_ALNUM = re.compile(r"[^0-9A-Za-z]+")
_NON_DIGIT = re.compile(r"\D")
TOKEN = addresses.TOKEN


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


def iban(value: str) -> str | None:
    """The compact IBAN (upper case, no spaces), or None when its check digits fail."""
    compact: str = stdnum_iban.compact(value)
    return compact if stdnum_iban.is_valid(compact) else None


def card(value: str) -> str | None:
    """Card digits, or None when not 12-19 digits (see :func:`luhn_valid`)."""
    digits = re.sub(r"\D", "", value)
    return digits if 12 <= len(digits) <= 19 else None


def luhn_valid(digits: str) -> bool:
    """True when ``digits`` pass the Luhn check (ISO/IEC 7812 check digit)."""
    return bool(luhn.is_valid(digits))


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


def dob(value: str, country: str) -> str | None:
    """ISO date of birth, an all-numeric date read in ``country``'s order (DMY most)."""
    rules = country_rules(country)
    return read_date(value, rules.date_order if rules else "DMY")


def postcode(value: str, country: str) -> str | None:
    """Compact postcode, None when it is not in ``country``'s format."""
    return postcodes.compact(value, country)


def national_id(value: str, country: str) -> str | None:
    """Compact national id, None when it is no valid id of ``country`` (python-stdnum)."""
    return national_ids.compact(value, country)


def fold_tokens(text: str) -> list[str]:
    """Word tokens of ``text`` folded for matching (street words in one spelling)."""
    return [addresses.fold_token(token) for token in TOKEN.findall(text)]


def iter_tokens(text: str) -> list[tuple[str, int, int]]:
    """Folded tokens with their spans in ``text``."""
    return [(addresses.fold_token(match.group()), match.start(), match.end())
            for match in TOKEN.finditer(text)]


def name_tokens(name: str) -> list[str]:
    """A person's name as tokens, given names first ("García López, María" reordered)."""
    surname, comma, given = name.partition(",")
    if comma and given.strip() and "," not in given:
        name = f"{given} {surname}"
    return fold_tokens(name)


def street_tokens(address: str) -> list[str]:
    """The street line of an address: house number and street words, no unit, no town."""
    return addresses.street_line(address)
