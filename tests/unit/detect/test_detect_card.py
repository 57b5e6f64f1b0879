"""CARD vectors.

Valid numbers are the networks' published test numbers (Stripe / PayPal /
Visa developer test-card lists: 4111111111111111, 5555555555554444,
378282246310005, 6011111111111117, 3530111333300000, 30569309025904,
2223003122003222). Near misses break the Luhn check (ISO/IEC 7812-1 annex B)
or the issuer prefix.
"""

# ruff: noqa: RUF001  (look-alike characters are the obfuscation under test)

from __future__ import annotations

from collections.abc import Callable

import pytest
from stdnum import luhn

from crossguard.core.ids import card
from crossguard.detect import DetectorSet

Scan = Callable[..., list[tuple[str, str, str]]]

VALID = [
    ("Visa 4111111111111111 please", "4111111111111111", "4111111111111111"),
    ("card: 4111 1111 1111 1111.", "4111 1111 1111 1111", "4111111111111111"),
    ("mc 5555-5555-5555-4444 ok", "5555-5555-5555-4444", "5555555555554444"),
    ("amex 3782 822463 10005", "3782 822463 10005", "378282246310005"),
    ("discover 6011111111111117", "6011111111111117", "6011111111111117"),
    ("jcb 3530 1113 3330 0000", "3530 1113 3330 0000", "3530111333300000"),
    ("diners 3056 9309 0259 04", "3056 9309 0259 04", "30569309025904"),
    ("2-series 2223 0031 2200 3222", "2223 0031 2200 3222", "2223003122003222"),
    ("split 4111.1111.1111.1111 dots", "4111.1111.1111.1111", "4111111111111111"),
    ("over lines 4111 1111\n1111 1111 end", "4111 1111\n1111 1111", "4111111111111111"),
    ("then expiry 4111 1111 1111 1111 12/27", "4111 1111 1111 1111", "4111111111111111"),
    # UATP, from Presidio's test_credit_card_recognizer.py
    ("my credit card: 122000000000003", "122000000000003", "122000000000003"),
]

INVALID = [
    "bad luhn 4111 1111 1111 1112",
    "unknown issuer 1234 5678 1234 5670",  # Luhn-valid, no network starts with 1
    "too short 4111 1111 1111",
    "glued to a word x4111111111111111",
]

OBFUSCATED = [
    # full-width digits, a zero-width space, a soft hyphen, an en dash
    ("ｃａｒｄ ４１１１ １１１１ １１１１ １１１１ ok", "４１１１ １１１１ １１１１ １１１１"),
    ("4111\u200b1111\u200b1111\u200b1111", "4111\u200b1111\u200b1111\u200b1111"),
    ("pay 4111\u00ad1111 1111 1111 now", "4111\u00ad1111 1111 1111"),
    ("card 5555\u20135555\u20135555\u20134444.", "5555\u20135555\u20135555\u20134444"),
]


@pytest.mark.parametrize(("text", "span", "value"), VALID)
def test_valid_cards(scan: Scan, text: str, span: str, value: str) -> None:
    assert scan(text, ("CARD",)) == [("CARD", span, value)]


@pytest.mark.parametrize("text", INVALID)
def test_near_misses(scan: Scan, text: str) -> None:
    assert scan(text, ("CARD",)) == []


@pytest.mark.parametrize(("text", "span"), OBFUSCATED)
def test_obfuscated_cards_map_to_original_span(scan: Scan, text: str, span: str) -> None:
    [(kind, found, value)] = scan(text, ("CARD",))
    assert (kind, found) == ("CARD", span)
    assert value in ("4111111111111111", "5555555555554444")


def test_unknown_issuer_vector_is_luhn_valid() -> None:
    assert luhn.is_valid("1234567812345670")
    assert not card.is_valid("1234567812345670")


def test_card_contract() -> None:
    assert card.compact("4111-1111 1111.1111") == "4111111111111111"
    assert card.format("378282246310005") == "3782 822463 10005"
    assert card.network("5555555555554444") == "mastercard"
    assert card.validate("4111 1111 1111 1111") == "4111111111111111"


def test_card_wins_over_phone(scan: Scan) -> None:
    found = scan("call 4111 1111 1111 1111 now")
    assert [kind for kind, _, _ in found] == ["CARD"]


def test_masked_rendering(default_set: DetectorSet) -> None:
    [finding] = default_set.scan("card 4111 1111 1111 1111", "1")
    assert finding.masked == "4111 **** **** 1111"
