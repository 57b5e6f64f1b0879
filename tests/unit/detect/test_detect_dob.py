"""DOB vectors: dates only right after a birth context word, normalized to ISO 8601.

Formats follow ISO 8601 (1980-03-04), the US month-first and European
day-first numeric forms, and written-out months; impossible dates (Feb 30)
and future dates are near misses, as is any date without birth context.
"""

# ruff: noqa: RUF001  (look-alike characters are the obfuscation under test)

from __future__ import annotations

from collections.abc import Callable

import pytest

Scan = Callable[..., list[tuple[str, str, str]]]

VALID = [
    ("Date of birth: 1980-03-04", "1980-03-04", "1980-03-04"),
    ("DOB 03/04/1980", "03/04/1980", "1980-03-04"),
    ("D.O.B. 25/12/1979 (day first is unambiguous)", "25/12/1979", "1979-12-25"),
    ("I was born on 12 March 1975.", "12 March 1975", "1975-03-12"),
    ("born March 12th, 1975", "March 12th, 1975", "1975-03-12"),
    ("birthday: 7.8.64", "7.8.64", "1964-07-08"),
]

INVALID = [
    "meeting on 03/04/1980",
    "DOB 02/30/1980",
    "date of birth 2999-01-01",
    "born in the eighties, married many many years later on 1990-01-01",
]


@pytest.mark.parametrize(("text", "span", "value"), VALID)
def test_valid_dobs(scan: Scan, text: str, span: str, value: str) -> None:
    assert scan(text, ("DOB",)) == [("DOB", span, value)]


@pytest.mark.parametrize("text", INVALID)
def test_near_misses(scan: Scan, text: str) -> None:
    assert scan(text, ("DOB",)) == []


def test_day_first_setting(scan: Scan) -> None:
    assert scan("DOB 03/04/1980", ("DOB",), date_order="DMY") == [
        ("DOB", "03/04/1980", "1980-04-03")
    ]


def test_obfuscated_dob(scan: Scan) -> None:
    text = "date of birth: １９８０\u2010０３\u2010０４"
    assert scan(text, ("DOB",)) == [("DOB", text[15:], "1980-03-04")]
