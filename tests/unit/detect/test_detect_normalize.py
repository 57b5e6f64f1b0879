"""Normalization: obfuscation undone, every span mapped back to the original text."""

# ruff: noqa: RUF001  (look-alike characters are the obfuscation under test)

from __future__ import annotations

import pytest

from crossguard.detect.normalize import normalize

CASES = [
    # (original, normalized)
    ("plain ascii text", "plain ascii text"),
    ("４１１１ full-width", "4111 full-width"),
    ("zero\u200bwidth\u200c\u200d\ufeff", "zerowidth"),
    ("soft\u00adhyphen", "softhyphen"),
    ("en\u2013dash em\u2014dash minus\u2212", "en-dash em-dash minus-"),
    ("nbsp\u00a0and\u3000ideographic", "nbsp and ideographic"),
    ("driver\u2019s \u201clicence\u201d", 'driver\'s "licence"'),
    ("ligature \ufb01le", "ligature file"),
    ("e\u0301t\u00e9", "\u00e9t\u00e9"),
    ("john dot doe at example dot com", "john.doe@example.com"),
    ("jane[at]example(dot)org", "jane@example.org"),
    ("jane { at } example [dot] org", "jane@example.org"),
    ("ｊａｎｅ［ａｔ］ｅｘａｍｐｌｅ．ｏｒｇ", "jane@example.org"),
    # Digits of other scripts (Arabic-Indic, Persian, Devanagari, Thai), and digits wearing
    # combining marks or an emoji's variation selector, read as ASCII digits:
    ("هاتف ٠٥٠١٢٣٤٥٦٧ ۴۵۶ ४११ ๑๒", "هاتف 0501234567 456 411 12"),
    ("4\u03011\u0301 4\ufe0f1\ufe0f\u20e3 caf\u00e9", "41 41 caf\u00e9"),
]


@pytest.mark.parametrize(("original", "expected"), CASES)
def test_normalized_text(original: str, expected: str) -> None:
    assert normalize(original).text == expected


def test_plain_ascii_takes_the_fast_path() -> None:
    result = normalize("Hi Sam, your order ORD-12345678 ships today (tracking 1Z999).")
    assert result.is_identity
    assert result.to_original(3, 6) == (3, 6)


@pytest.mark.parametrize(
    "text",
    [
        "reach us at example.com",  # prose: a plain " at " needs a spelled "dot" too
        "we are at home, dot the i's",
        "see you at 5",
    ],
)
def test_prose_is_left_alone(text: str) -> None:
    assert normalize(text).text == text


def test_spans_map_back_to_original() -> None:
    original = "mail: john dot doe at example dot com, card ４１１１\u200b１１１１"
    result = normalize(original)
    text = result.text
    email = text.index("john.doe@example.com")
    start, end = result.to_original(email, email + len("john.doe@example.com"))
    assert original[start:end] == "john dot doe at example dot com"
    digits = text.index("41111111")
    start, end = result.to_original(digits, digits + 8)
    assert original[start:end] == "４１１１\u200b１１１１"
    start, end = result.to_original(digits + 1, digits + 3)
    assert original[start:end] == "１１"


def test_deleted_characters_at_span_edges_are_excluded() -> None:
    original = "\u200b12\u200b"
    result = normalize(original)
    assert result.text == "12"
    assert result.to_original(0, 2) == (1, 3)


def test_a_dressed_digit_maps_back_to_its_characters() -> None:
    """``٤١``: two characters, two digits; ``4\u0301``: two characters, one digit."""
    arabic = normalize("card ٤١١١")
    assert arabic.text == "card 4111" and arabic.to_original(5, 9) == (5, 9)
    marked = normalize("x 4\u03011\u0301")
    assert marked.text == "x 41" and marked.to_original(2, 4) == (2, 6)
