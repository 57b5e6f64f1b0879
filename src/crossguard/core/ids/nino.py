"""UK National Insurance number (NINO), per HMRC's National Insurance Manual NIM39110.

Two prefix letters, six digits, a suffix letter A-D. The first letter is not
D, F, I, Q, U or V; the second is not D, F, I, O, Q, U or V; the prefixes BG,
GB, KN, NK, NT, TN and ZZ are never issued.
"""

from __future__ import annotations

import re

from stdnum.exceptions import InvalidComponent, InvalidFormat, InvalidLength, ValidationError
from stdnum.util import clean

_SHAPE = re.compile(r"[A-Z]{2}\d{6}[A-D]")
_BAD_FIRST = frozenset("DFIQUV")
_BAD_SECOND = frozenset("DFIOQUV")
_BAD_PREFIXES = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})


def compact(number: str) -> str:
    """Strip spaces and dashes, upper-case."""
    return clean(number, " -").strip().upper()


def validate(number: str) -> str:
    """Check the shape and the prefix rules; return the compact number."""
    number = compact(number)
    if len(number) != 9:
        raise InvalidLength()
    if not _SHAPE.fullmatch(number):
        raise InvalidFormat()
    if number[0] in _BAD_FIRST or number[1] in _BAD_SECOND or number[:2] in _BAD_PREFIXES:
        raise InvalidComponent()
    return number


def is_valid(number: str) -> bool:
    """True when ``number`` is a valid NINO."""
    try:
        return bool(validate(number))
    except ValidationError:
        return False


def format(number: str) -> str:
    """``AB123456C`` -> ``AB 12 34 56 C``."""
    number = compact(number)
    return f"{number[:2]} {number[2:4]} {number[4:6]} {number[6:8]} {number[8:]}"
