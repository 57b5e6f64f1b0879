"""Customer-side normalization: the same forms the detectors give Finding.value."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crossguard.index import normalize

# Phone examples: phonenumbers' documented E.164 formatting (US, GB, DE numbers).
PHONES = [
    ("(212) 555-0123", "US", "+12125550123"),
    ("(212) 736-5000", "US", "+12127365000"),
    ("212.736.5000", "US", "+12127365000"),
    ("+44 20 7946 0958", "US", "+442079460958"),
    ("020 7946 0958", "GB", "+442079460958"),
    ("030 901820", "DE", "+4930901820"),
    ("(012) 555-0123", "US", None),  # US area codes never start with 0
    ("not a phone", "US", None),
]


@pytest.mark.parametrize(("value", "country", "expected"), PHONES)
def test_phone_e164(value: str, country: str, expected: str | None) -> None:
    assert normalize.phone(value, country) == expected


@pytest.mark.parametrize(
    ("function", "value", "expected"),
    [
        (normalize.email, "  Jane.Doe@Example.COM ", "jane.doe@example.com"),
        (normalize.email, "no-at-sign", None),
        (normalize.card, "4111 1111-1111 1111", "4111111111111111"),
        (normalize.card, "1234", None),
        (normalize.luhn_valid, "4111111111111111", True),
        (normalize.luhn_valid, "4111111111111112", False),
        (normalize.identifier, "d123-456 78", "D12345678"),
        (normalize.order_id, " ord-12345678 ", "ORD-12345678"),
    ],
)
def test_exact_kinds(function, value: str, expected: str | None) -> None:  # type: ignore[no-untyped-def]
    assert function(value) == expected


@pytest.mark.parametrize(
    ("function", "value", "country", "expected"),
    [
        (normalize.dob, "03/14/1985", "US", "1985-03-14"),
        (normalize.dob, "04/03/1985", "US", "1985-04-03"),
        (normalize.dob, "04/03/1985", "GB", "1985-03-04"),
        (normalize.dob, "14/03/1990", "GB", "1990-03-14"),
        (normalize.dob, "1985-03-14", "JP", "1985-03-14"),
        (normalize.dob, "14 March 1985", "US", "1985-03-14"),
        (normalize.dob, "1. April 1970", "DE", "1970-04-01"),
        (normalize.dob, "7 de noviembre de 1985", "ES", "1985-11-07"),
        (normalize.dob, "yesterday", "US", None),
        (normalize.postcode, "sw1a 1aa", "GB", "SW1A1AA"),
        (normalize.postcode, "62704-1234", "US", "62704"),
        (normalize.postcode, "1100-053", "PT", "1100053"),
        (normalize.postcode, "1015 cj", "NL", "1015CJ"),
        (normalize.postcode, "L-1234", "LU", "1234"),
        (normalize.postcode, "12345", "DK", None),
        (normalize.national_id, "54362315-K", "ES", "54362315K"),
        (normalize.national_id, "54362315-Z", "ES", None),
        (normalize.national_id, "19880320-0016", "SE", "8803200016"),
        (normalize.national_id, "123-45-6789", "US", "123456789"),
    ],
)
def test_country_kinds(function, value: str, country: str, expected: str | None) -> None:  # type: ignore[no-untyped-def]
    assert function(value, country) == expected


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("José  ÁLVAREZ", ["jose", "alvarez"]),
        ("O'Brien, Mary-Kate", ["mary", "kate", "o'brien"]),  # "Surname, Given"
        ("Müller", ["muller"]),
        ("Mueller", ["muller"]),
        ("ZOË GARCÍA", ["zo", "garcia"]),  # the umlaut digraph folds too: Zoe = Zoë
        ("\uff2a\uff41\uff4e\uff45 Smith", ["jane", "smith"]),  # full-width letters
    ],
)
def test_name_tokens_fold_case_accents_width(text: str, tokens: list[str]) -> None:
    assert normalize.name_tokens(text) == tokens


@pytest.mark.parametrize(
    ("address", "street"),
    [
        ("123 Main Street, Springfield, IL", ["123", "main", "st"]),
        ("123 MAIN ST\nSpringfield", ["123", "main", "st"]),
        ("42 North Avenue Apt. 7, Boston", ["42", "n", "ave"]),
        ("Main Street 5", ["5", "main", "st"]),  # the number after the street
        ("Flat 3B, 22 Baker Street", ["22", "baker", "st"]),
        ("Calle Mayor 12, 3º B", ["12", "c", "mayor"]),
        ("Nørregade 10", ["10", "norregade"]),
        ("Norregade 10, st. tv.", ["10", "norregade"]),
        ("Apt 4, 1600 Amphitheatre Pkwy", ["1600", "amphitheatre", "pkwy"]),
        ("Hauptstraße 5, Whg. 3", ["5", "hauptst"]),
        ("Hauptstr. 5", ["5", "hauptst"]),
        ("Rue de la Loi 16 bte 2", ["16", "ru", "de", "la", "loi"]),
        ("Av. Paulista, 1578, apto 12", ["1578", "ave", "paulista"]),
        ("Drottninggatan 5, lgh 1102", ["5", "drottningg"]),
        ("PO Box 12", []),
    ],
)
def test_street_tokens(address: str, street: list[str]) -> None:
    assert normalize.street_tokens(address) == street


@given(st.text(max_size=60))
def test_folding_is_idempotent(text: str) -> None:
    once = " ".join(normalize.fold_tokens(text))
    assert normalize.fold_tokens(once) == normalize.fold_tokens(text)


@given(st.text(max_size=80))
def test_token_spans_point_into_the_text(text: str) -> None:
    for _, start, end in normalize.iter_tokens(text):
        assert 0 <= start < end <= len(text)
