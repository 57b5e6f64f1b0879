"""IBAN vectors.

From python-stdnum's ``stdnum/iban.py`` doctests (GR16 0110 1050 0000 1054
7023 795, BE31435411161155) and the ISO 13616 / SWIFT IBAN registry examples
(DE89 3704 0044 0532 0130 00, GB82 WEST 1234 5698 7654 32,
NL91ABNA0417164300). Near misses change one digit so the mod-97 check fails.
"""

# ruff: noqa: RUF001  (look-alike characters are the obfuscation under test)

from __future__ import annotations

from collections.abc import Callable

import pytest

Scan = Callable[..., list[tuple[str, str, str]]]

VALID = [
    (
        "IBAN: GR16 0110 1050 0000 1054 7023 795.",
        "GR16 0110 1050 0000 1054 7023 795",
        "GR1601101050000010547023795",
    ),
    ("iban BE31435411161155 ok", "BE31435411161155", "BE31435411161155"),
    (
        "to DE89 3704 0044 0532 0130 00 thanks",
        "DE89 3704 0044 0532 0130 00",
        "DE89370400440532013000",
    ),
    ("GB82 WEST 1234 5698 7654 32", "GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432"),
    ("(NL91ABNA0417164300)", "NL91ABNA0417164300", "NL91ABNA0417164300"),
    ("lower de89370400440532013000 too", "de89370400440532013000", "DE89370400440532013000"),
]

INVALID = [
    "GR16 0110 1050 0000 1054 7023 796",
    "DE88 3704 0044 0532 0130 00",
    "XX89 3704 0044 0532 0130 00",
    "code AB12 is short",
    "LV80 bANK 0000 4351 9500 1",  # mixed case, from Presidio's test_iban_recognizer.py
]


@pytest.mark.parametrize(("text", "span", "value"), VALID)
def test_valid_ibans(scan: Scan, text: str, span: str, value: str) -> None:
    assert scan(text, ("IBAN",)) == [("IBAN", span, value)]


@pytest.mark.parametrize("text", INVALID)
def test_near_misses(scan: Scan, text: str) -> None:
    assert scan(text, ("IBAN",)) == []


def test_obfuscated_iban_maps_to_original(scan: Scan) -> None:
    text = "IBAN ＤＥ89\u00a03704\u00a00044\u00a00532\u00a00130\u00a000"
    [(kind, span, value)] = scan(text, ("IBAN",))
    assert (kind, value) == ("IBAN", "DE89370400440532013000")
    assert span == text[5:]
