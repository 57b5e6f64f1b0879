"""UK_NINO vectors.

Rules from HMRC's National Insurance Manual NIM39110: prefix letters D, F,
I, Q, U, V never first; D, F, I, O, Q, U, V never second; BG, GB, KN, NK,
NT, TN, ZZ never issued; suffix A-D. HMRC's own example "QQ 12 34 56 C" is
deliberately invalid (Q first).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from crossguard.core.ids import nino

Scan = Callable[..., list[tuple[str, str, str]]]

VALID = [
    ("NI number: AB 12 34 56 C", "AB 12 34 56 C", "AB123456C"),
    ("nino JG103759A.", "JG103759A", "JG103759A"),
    ("ref (CE 12 34 56 D)", "CE 12 34 56 D", "CE123456D"),
    # lower case, from Presidio's test_uk_nino_recognizer.py
    ("hh 01 02 03 d", "hh 01 02 03 d", "HH010203D"),
    ("tw987654a", "tw987654a", "TW987654A"),
]

INVALID = [
    "QQ 12 34 56 C",
    "GB 12 34 56 A",
    "AO 12 34 56 A",
    "DA 12 34 56 A",
    "AB 12 34 56 E",
    "AB 12 34 5 C",
    "XAB123456C",
    "Ab 12 34 56 c",
]


@pytest.mark.parametrize(("text", "span", "value"), VALID)
def test_valid_ninos(scan: Scan, text: str, span: str, value: str) -> None:
    assert scan(text, ("UK_NINO",)) == [("UK_NINO", span, value)]


@pytest.mark.parametrize("text", INVALID)
def test_near_misses(scan: Scan, text: str) -> None:
    assert scan(text, ("UK_NINO",)) == []


def test_contract() -> None:
    assert nino.compact("ab 12 34 56 c") == "AB123456C"
    assert nino.format("AB123456C") == "AB 12 34 56 C"
    assert nino.is_valid("AB123456C")
    assert not nino.is_valid("QQ123456C")
