"""Payment card numbers (ISO/IEC 7812): issuer prefix ranges and the Luhn check digit.

Prefix ranges follow the networks' published IIN tables (Visa 4; Mastercard
51-55 and 2221-2720; American Express 34, 37; Discover 6011, 644-649, 65;
JCB 3528-3589; Diners Club 300-305, 36, 38-39; UnionPay 62; Maestro 5018,
5020, 5038, 5893, 6304, 6759, 6761-6763; UATP 1, 15 digits). Maestro's ranges
are the issued ones, not all of 5 and 6: a 15-digit IMEI starting 86 is no card.
"""

from __future__ import annotations

from stdnum import luhn
from stdnum.exceptions import InvalidComponent, InvalidFormat, InvalidLength, ValidationError

# (first digits range low, high, prefix length, allowed lengths)
_NETWORKS: tuple[tuple[str, int, int, int, frozenset[int]], ...] = (
    ("visa", 4, 4, 1, frozenset({13, 16, 19})),
    ("mastercard", 51, 55, 2, frozenset({16})),
    ("mastercard", 2221, 2720, 4, frozenset({16})),
    ("amex", 34, 34, 2, frozenset({15})),
    ("amex", 37, 37, 2, frozenset({15})),
    ("discover", 6011, 6011, 4, frozenset(range(16, 20))),
    ("discover", 644, 649, 3, frozenset(range(16, 20))),
    ("discover", 65, 65, 2, frozenset(range(16, 20))),
    ("jcb", 3528, 3589, 4, frozenset(range(16, 20))),
    ("diners", 300, 305, 3, frozenset(range(14, 20))),
    ("diners", 36, 36, 2, frozenset(range(14, 20))),
    ("diners", 38, 39, 2, frozenset(range(16, 20))),
    ("unionpay", 62, 62, 2, frozenset(range(16, 20))),
    ("maestro", 5018, 5018, 4, frozenset(range(12, 20))),
    ("maestro", 5020, 5020, 4, frozenset(range(12, 20))),
    ("maestro", 5038, 5038, 4, frozenset(range(12, 20))),
    ("maestro", 5893, 5893, 4, frozenset(range(12, 20))),
    ("maestro", 6304, 6304, 4, frozenset(range(12, 20))),
    ("maestro", 6759, 6759, 4, frozenset(range(12, 20))),
    ("maestro", 6761, 6763, 4, frozenset(range(12, 20))),
    ("uatp", 1, 1, 1, frozenset({15})),
)


def compact(number: str) -> str:
    """Strip spaces, dashes and dots."""
    return number.replace(" ", "").replace("-", "").replace(".", "").strip()


def network(number: str) -> str | None:
    """The card network whose prefix and length ``number`` matches, if any."""
    number = compact(number)
    if not number.isdigit() or len(number) < 4:
        return None
    prefixes = (0, int(number[:1]), int(number[:2]), int(number[:3]), int(number[:4]))
    for name, low, high, size, lengths in _NETWORKS:
        if len(number) in lengths and low <= prefixes[size] <= high:
            return name
    return None


def validate(number: str) -> str:
    """Check length, digits, issuer prefix and Luhn; return the compact number."""
    number = compact(number)
    if not number.isdigit() or not number.isascii():
        raise InvalidFormat()
    if not 12 <= len(number) <= 19:
        raise InvalidLength()
    luhn.validate(number)
    if network(number) is None:
        raise InvalidComponent()
    return number


def is_valid(number: str) -> bool:
    """True when ``number`` is a valid card number."""
    try:
        return bool(validate(number))
    except ValidationError:
        return False


def format(number: str) -> str:
    """Groups of four (Amex: 4-6-5)."""
    number = compact(number)
    if len(number) == 15 and number[:2] in ("34", "37"):
        return f"{number[:4]} {number[4:10]} {number[10:]}"
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4))
