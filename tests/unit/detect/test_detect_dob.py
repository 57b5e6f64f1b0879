"""DOB vectors: dates in a sentence with a birth context word, normalized to ISO 8601.

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
    ("The date of birth we hold for this account is 1980-03-04.", "1980-03-04", "1980-03-04"),
    ("1980-03-04 is the birth date on file", "1980-03-04", "1980-03-04"),
    ("Fecha de nacimiento: 7 de noviembre de 1985", "7 de noviembre de 1985", "1985-11-07"),
    ("Geburtsdatum 1. April 1970", "1. April 1970", "1970-04-01"),
    ("né le 1er août 1970", "1er août 1970", "1970-08-01"),
    ("geboortedatum: 3 maart 1975", "3 maart 1975", "1975-03-03"),
    ("data di nascita 18 novembre 1983", "18 novembre 1983", "1983-11-18"),
    ("data de nascimento: 15 de junho de 1990", "15 de junho de 1990", "1990-06-15"),
    ("fødselsdato: 17. marts 1975", "17. marts 1975", "1975-03-17"),
    ("född den 3 augusti 1965", "3 augusti 1965", "1965-08-03"),
    ("data urodzenia: 15 stycznia 1983", "15 stycznia 1983", "1983-01-15"),
    ("urodzona 1 października 1983", "1 października 1983", "1983-10-01"),
]

INVALID = [
    "meeting on 03/04/1980",
    "DOB 02/30/1980",
    "date of birth 2999-01-01",
    "born in the eighties. Married many many years later on 1990-01-01",
    "Date of birth: see the form.\n\nMeeting on 1990-01-01",
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


def test_every_order_of_the_regions_is_read(scan: Scan) -> None:
    """A US and a GB customer base: 07/11/1985 is read both ways, one finding each."""
    found = sorted(scan("DOB 07/11/1985", ("DOB",), regions=["US", "GB"]))
    assert found == [("DOB", "07/11/1985", "1985-07-11"), ("DOB", "07/11/1985", "1985-11-07")]


def test_the_regions_order_alone(scan: Scan) -> None:
    assert scan("Geburtsdatum: 03.04.1980", ("DOB",), regions=["DE"]) == [
        ("DOB", "03.04.1980", "1980-04-03")
    ]


AFTER_NAMES = [
    ("Terry Walker, 14/03/1985", "14/03/1985", "1985-03-14"),
    ("Terry J. Walker (14.03.85)", "14.03.85", "1985-03-14"),
    ("Ana Lopez: 12 March 1975", "12 March 1975", "1975-03-12"),
    ("Ana Lopez - 1975-03-12", "1975-03-12", "1975-03-12"),
]


@pytest.mark.parametrize(("text", "span", "value"), AFTER_NAMES)
def test_birth_dates_after_names(scan: Scan, text: str, span: str, value: str) -> None:
    """No context word: a plausible birth date right after a person's name (day first here)."""
    assert scan(text, ("DOB",), regions=["GB"]) == [("DOB", span, value)]


@pytest.mark.parametrize("text", [
    "Terry Walker, 14/03/2020",  # a child's age at most: no birth date
    "Terry Walker, ref 14/03/1985",  # not right after the name
    "Terry Walker, 1403 1985",  # two groups, none a date
    "terry walker, 14/03/1985",  # no capitalised name
])
def test_dates_after_names_near_misses(scan: Scan, text: str) -> None:
    assert scan(text, ("DOB",), regions=["GB"]) == []
