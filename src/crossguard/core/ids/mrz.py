"""Machine-readable zones of travel documents (ICAO Doc 9303 parts 3, 4 and 5).

TD3 (passports): two lines of 44 characters. TD1 (identity cards): three
lines of 30. Check digits use weights 7, 3, 1 over digits (their value),
letters (A=10 ... Z=35) and the filler ``<`` (0).
"""

from __future__ import annotations

from dataclasses import dataclass

from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_CHARSET = frozenset(_ALPHABET + "<")


@dataclass(frozen=True, slots=True)
class MrzData:
    """The fields crossguard reads from an MRZ, with offsets into the compact MRZ."""

    layout: str
    document_number: str
    number_offset: int
    birth_date: str
    birth_offset: int


def calc_check_digit(field: str) -> str:
    """The ICAO 9303 part 3 check digit: weights 7-3-1, ``<`` = 0, ``A`` = 10 ... ``Z`` = 35.

    Any other character (OCR noise) counts as the filler.
    """
    total = 0
    for index, char in enumerate(field):
        total += max(_ALPHABET.find(char), 0) * (7, 3, 1)[index % 3]
    return str(total % 10)


def _check(field: str, digit: str) -> None:
    if calc_check_digit(field) != ("0" if digit == "<" else digit):
        raise InvalidChecksum()


def compact(mrz: str) -> str:
    """Remove line breaks and spaces; upper-case."""
    return "".join(mrz.split()).upper()


def parse(mrz: str) -> MrzData:
    """Validate a TD3 (2 x 44) or TD1 (3 x 30, or its first two lines) MRZ and read it."""
    mrz = compact(mrz)
    if not set(mrz) <= _CHARSET:
        raise InvalidFormat()
    if len(mrz) == 88:
        line = mrz[44:]
        _check(line[0:9], line[9])
        _check(line[13:19], line[19])
        _check(line[21:27], line[27])
        _check(line[0:10] + line[13:20] + line[21:43], line[43])
        return MrzData("TD3", line[0:9].rstrip("<"), 44, line[13:19], 44 + 13)
    if len(mrz) in (60, 90):
        first, second = mrz[:30], mrz[30:60]
        _check(first[5:14], first[14])
        _check(second[0:6], second[6])
        _check(second[8:14], second[14])
        _check(first[5:30] + second[0:7] + second[8:15] + second[18:29], second[29])
        return MrzData("TD1", first[5:14].rstrip("<"), 5, second[0:6], 30)
    raise InvalidLength()


def validate(mrz: str) -> str:
    """Check every check digit; return the compact MRZ."""
    parse(mrz)
    return compact(mrz)


def is_valid(mrz: str) -> bool:
    """True when ``mrz`` is a TD1 or TD3 MRZ whose check digits all hold."""
    try:
        return bool(validate(mrz))
    except ValidationError:
        return False


def format(mrz: str) -> str:
    """The MRZ as lines."""
    mrz = compact(mrz)
    width = 44 if len(mrz) == 88 else 30
    return "\n".join(mrz[i : i + width] for i in range(0, len(mrz), width))
