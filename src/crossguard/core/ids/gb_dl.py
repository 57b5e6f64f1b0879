"""UK (GB) driving licence number, as the DVLA issues it (16 characters).

Layout (DVLA, "Your driving licence number explained"; INF 1D leaflet):

* 1-5: the first five letters of the surname, padded with ``9`` (``MORGA``, ``LEE99``);
* 6: the decade digit of the year of birth;
* 7-8: the month of birth, plus 50 for a woman (``01``-``12`` or ``51``-``62``);
* 9-10: the day of birth (``01``-``31``);
* 11: the last digit of the year of birth;
* 12-13: the first two initials, padded with ``9``;
* 14: an arbitrary digit (usually 9);
* 15-16: two computer check letters.

The check letters' algorithm is not published, so only the layout and the
date are validated.
"""

from __future__ import annotations

import re

from stdnum.exceptions import InvalidComponent, InvalidFormat, InvalidLength, ValidationError
from stdnum.util import clean

_SHAPE = re.compile(r"[A-Z9]{5}\d{6}[A-Z9]{2}\d[A-Z]{2}")


def compact(number: str) -> str:
    """Strip spaces and dashes, upper-case."""
    return clean(number, " -").strip().upper()


def validate(number: str) -> str:
    """Check the layout, the surname and initials padding and the date; the compact form."""
    number = compact(number)
    if len(number) != 16:
        raise InvalidLength()
    if not _SHAPE.fullmatch(number) or number[0] == "9":
        raise InvalidFormat()
    surname, initials = number[:5], number[11:13]
    if "9" in surname.rstrip("9") or initials[0] == "9":
        raise InvalidFormat()
    month, day = int(number[6:8]) % 50, int(number[8:10])
    if not (1 <= month <= 12 and 1 <= day <= 31) or int(number[6:8]) in range(13, 51):
        raise InvalidComponent()
    return number


def is_valid(number: str) -> bool:
    """True when ``number`` is laid out as a DVLA licence number."""
    try:
        return bool(validate(number))
    except ValidationError:
        return False


def format(number: str) -> str:
    """``MORGA753116SM9IJ`` -> ``MORGA 753116 SM9IJ`` (as printed on the licence)."""
    number = compact(number)
    return f"{number[:5]} {number[5:11]} {number[11:]}"
