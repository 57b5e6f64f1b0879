"""Parcel tracking numbers with a published check digit: UPS 1Z and UPU S10.

* UPS: ``1Z`` + 6-character shipper + 2-digit service + 7-digit package + a
  check digit: letters count as ``(ord - 63) mod 10``, digits in even
  positions (1-based, after ``1Z``) are doubled, the check brings the sum to a
  multiple of 10. Vector: ``1Z999AA10123456784`` (UPS developer guide).
* UPU S10 (postal items, USPS/DHL eCommerce international): two letters, eight
  serial digits, a check digit (weights 8 6 4 2 3 5 9 7, ``11 - sum mod 11``;
  10 reads 0, 11 reads 5), a two-letter country. Vector: ``RR123456785US``
  (UPU S10 standard, annex).

FedEx, USPS domestic and DHL Express numbers are digits only and their check
schemes are not public in full; the detector reads them by shape next to a
carrier or tracking word instead.
"""

from __future__ import annotations

_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def is_ups(value: str) -> bool:
    """True for a UPS 1Z number with a valid check digit (upper-case, no spaces)."""
    if len(value) != 18 or not value.startswith("1Z") or not value.isalnum():
        return False
    if not value[17].isdigit():
        return False
    total = 0
    for position, char in enumerate(value[2:17]):
        digit = int(char) if char.isdigit() else (ord(char) - 63) % 10
        total += digit * 2 if position % 2 else digit
    return (10 - total % 10) % 10 == int(value[17])


def is_s10(value: str) -> bool:
    """True for a UPU S10 item number with a valid check digit (upper-case, no spaces)."""
    if len(value) != 13 or not (value[:2].isalpha() and value[11:].isalpha()):
        return False
    digits = value[2:11]
    if not digits.isdigit() or not digits.isascii():
        return False
    check = 11 - sum(int(d) * w for d, w in zip(digits, _S10_WEIGHTS, strict=False)) % 11
    check = {10: 0, 11: 5}.get(check, check)
    return check == int(digits[8])
