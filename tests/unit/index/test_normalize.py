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
        (normalize.identifier, "d123-456 78", "D12345678"),
        (normalize.order_id, " ord-12345678 ", "ORD-12345678"),
        (normalize.dob, "03/14/1985", "1985-03-14"),
        (normalize.dob, "1985-03-14", "1985-03-14"),
        (normalize.dob, "14 March 1985", "1985-03-14"),
        (normalize.dob, "yesterday", None),
        (normalize.postcode, "sw1a 1aa", "SW1A1AA"),
        (normalize.postcode, "62704-1234", "62704"),
    ],
)
def test_exact_kinds(function, value: str, expected: str | None) -> None:  # type: ignore[no-untyped-def]
    assert function(value) == expected


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("José  ÁLVAREZ", ["jose", "alvarez"]),
        ("O'Brien, Mary-Kate", ["o'brien", "mary", "kate"]),
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
        ("Main Street 5", []),  # no leading house number: not a US street line
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
