"""MRZ finding and repair in OCR text.

Specimens from ICAO Doc 9303: part 4 appendix B (TD3, Anna Maria Eriksson,
Utopia, L898902C3), part 6 (TD2, D23145890) and part 5 (TD1, D23145890).
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crossguard.core.ids.mrz import calc_check_digit
from crossguard.message.images.mrz import clean, find_zones
from crossguard.synth.mrz import td3_lines

TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
TD2 = ("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6")
TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)


@pytest.mark.parametrize(
    ("field", "digit"),
    [
        ("L898902C3", "6"),
        ("740812", "2"),
        ("120415", "9"),
        ("ZE184226B<<<<<", "1"),
        ("D23145890", "7"),
    ],
)
def test_check_digits_of_the_icao_specimens(field: str, digit: str) -> None:
    assert calc_check_digit(field) == digit


@pytest.mark.parametrize(
    ("lines", "layout", "number"),
    [(TD3, "TD3", "L898902C3"), (TD2, "TD2", "D23145890"), (TD1, "TD1", "D23145890")],
)
def test_clean_specimens_are_found_and_valid(
    lines: tuple[str, ...], layout: str, number: str
) -> None:
    zones = find_zones(["Some heading", *lines, "footer"])
    assert zones[0].format == layout
    assert zones[0].valid
    assert zones[0].lines == lines
    assert zones[0].number == number


@pytest.mark.parametrize(
    "damaged",
    [
        # fillers read as guillemets, spaces between characters
        (
            "P«UTOERIKSSON««ANNA«MARIA«««««««««««««««««««",
            "L898902C3 6UTO7408122F1204159ZE184226B«««««10",
        ),
        # fillers read as K, the usual Tesseract slip on OCR-B
        (
            "PKUTOERIKSSONKKANNA<MARIAKKKKKKKKKKKKKKKKKKK",
            "L898902C36UTO7408122F1204159ZE184226BKKKKK10",
        ),
        # O for 0 and I for 1 in digit fields, lower-case noise in the filler
        (
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<ceccecec<<<<<",
            "L898902C36UTO74O8122F12O4I59ZE184226B<<<<<I0",
        ),
        # a stray character inserted, the name line cut short
        ("P<UTOERIKSSON<<ANNA<MARIA<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<Q10"),
        # a check digit dropped
        (
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
            "L898902C36UTO7408122F120415ZE184226B<<<<<10",
        ),
    ],
)
def test_ocr_damage_is_repaired_where_check_digits_agree(damaged: tuple[str, str]) -> None:
    zones = find_zones(damaged)
    assert zones, "no zone found"
    assert zones[0].valid
    assert zones[0].lines == TD3


def test_an_unrepairable_zone_is_reported_invalid() -> None:
    wrong_number = (
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C46UTO7408122F1204159ZE184226B<<<<<10",
    )
    zones = find_zones(wrong_number)
    assert zones and not zones[0].valid


@pytest.mark.parametrize(
    "text", ["", "Dear customer, <<please>> reply", "P<" * 30, "1234567890" * 5]
)
def test_text_without_a_zone_yields_none(text: str) -> None:
    assert [zone for zone in find_zones(text.splitlines()) if zone.valid] == []


def test_clean_keeps_only_the_mrz_alphabet() -> None:
    assert clean("P< UTO«ab") == "P<UTO<<<"


@settings(max_examples=60, deadline=None)
@given(
    surname=st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=15),
    given_names=st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ ", min_size=2, max_size=15),
    number=st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=6, max_size=9),
    birth=st.dates(date(1930, 1, 1), date(2020, 12, 31)),
)
def test_generated_passport_lines_round_trip(
    surname: str, given_names: str, number: str, birth: date
) -> None:
    lines = td3_lines(
        surname=surname,
        given_names=given_names,
        number=number,
        nationality="USA",
        birth=birth,
        sex="F",
        expiry=date(2031, 5, 17),
    )
    zones = find_zones(lines)
    assert zones[0].valid
    assert zones[0].number == number
