"""CA_SIN vectors.

From python-stdnum's ``stdnum/ca/sin.py`` doctests: 123-456-782 valid,
999-999-999 a bad checksum, 823456785 an unassigned first digit (8), plus
046 454 286 (first digit 0, likewise never assigned).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

Scan = Callable[..., list[tuple[str, str, str]]]

VALID = [
    ("SIN: 123-456-782", "123-456-782"),
    ("social insurance number 123 456 782.", "123 456 782"),
    ("my SIN is 123456782", "123456782"),
]

INVALID = [
    "SIN 999-999-999",
    "SIN 823456785",
    "SIN 046 454 286",
    "SIN 123-456-783",
    "SIN 123-45-6782",
]


@pytest.mark.parametrize(("text", "span"), VALID)
def test_valid_sins(scan: Scan, text: str, span: str) -> None:
    assert scan(text, ("CA_SIN",)) == [("CA_SIN", span, "123456782")]


@pytest.mark.parametrize("text", INVALID)
def test_near_misses(scan: Scan, text: str) -> None:
    assert scan(text, ("CA_SIN",)) == []


def test_bare_sin_needs_context(scan: Scan) -> None:
    assert scan("ticket 123456782", ("CA_SIN",)) == []
    assert scan("ticket 123 456 782", ("CA_SIN",)) == [("CA_SIN", "123 456 782", "123456782")]


def test_a_phone_number_of_a_served_country_is_no_sin(scan: Scan) -> None:
    """912 340 759 passes the SIN check, and is a Portuguese mobile number."""
    assert scan("Pode ligar para o 912 340 759.", ("CA_SIN",), regions=["PT"]) == []
    assert scan("Pode ligar para o 912 340 759.", ("CA_SIN",), regions=["PT", "CA"]) == [
        ("CA_SIN", "912 340 759", "912340759")]
    assert scan("SIN 912 340 759", ("CA_SIN",), regions=["PT"]) == [
        ("CA_SIN", "912 340 759", "912340759")]
