"""ORDER_ID vectors: the default ``order_id_pattern`` and a company's own pattern."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from crossguard.detect import DetectorSet
from crossguard.detect.settings import DetectSettings
from crossguard.errors import ConfigError

Scan = Callable[..., list[tuple[str, str, str]]]

VALID = [
    ("your order ORD-12345678 shipped", "ORD-12345678", "ORD-12345678"),
    ("re: order#123456", "order#123456", "ORDER#123456"),
    ("SO123456789012.", "SO123456789012", "SO123456789012"),
]

INVALID = [
    "ORD-12345 is too short",
    "XORD-12345678 glued",
    "ORD-1234567890123 too long",
]


@pytest.mark.parametrize(("text", "span", "value"), VALID)
def test_default_pattern(scan: Scan, text: str, span: str, value: str) -> None:
    assert scan(text, ("ORDER_ID",)) == [("ORDER_ID", span, value)]


@pytest.mark.parametrize("text", INVALID)
def test_near_misses(scan: Scan, text: str) -> None:
    assert scan(text, ("ORDER_ID",)) == []


def test_custom_pattern(scan: Scan) -> None:
    found = scan(
        "case A-7Q-2291 and B-8R-1", ("ORDER_ID",), order_id_pattern=r"\b[A-Z]-\d[A-Z]-\d{4}\b"
    )
    assert found == [("ORDER_ID", "A-7Q-2291", "A-7Q-2291")]
    letters = scan("ticket ABCD-XYZ", ("ORDER_ID",), order_id_pattern=r"\bABCD-[A-Z]{3}\b")
    assert letters == [("ORDER_ID", "ABCD-XYZ", "ABCD-XYZ")]


def test_masked() -> None:
    [finding] = DetectorSet.from_settings(DetectSettings()).scan("ORD-12345678", "1")
    assert finding.masked == "ORD-*****678"


def test_bad_pattern_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="order_id_pattern"):
        DetectorSet.from_settings(DetectSettings(order_id_pattern="(unclosed"))
