"""US_SSN vectors.

From python-stdnum's ``stdnum/us/ssn.py`` doctests (536-90-4399 valid;
666-00-0000 invalid area; 078-05-1120 a blacklisted advertising number) and
the SSA's rules for never-issued numbers (area 000, 666, 900-999; group 00;
serial 0000).
"""

# ruff: noqa: RUF001  (look-alike characters are the obfuscation under test)

from __future__ import annotations

from collections.abc import Callable

import pytest

from crossguard.detect import DetectorSet

Scan = Callable[..., list[tuple[str, str, str]]]

WITH_CONTEXT = [
    ("SSN: 536-90-4399", "536-90-4399"),
    ("social security number 536 90 4399", "536 90 4399"),
    ("my ssn is 536904399", "536904399"),
    ("SS# 536.90.4399 thanks", "536.90.4399"),
]

INVALID = [
    "SSN 000-12-3456",
    "SSN 666-12-3456",
    "SSN 900-12-3456",
    "SSN 536-00-4399",
    "SSN 536-90-0000",
    "SSN 078-05-1120",
    "SSN 536-904-399",
    "SSN 536-90-4399-1234",
]


@pytest.mark.parametrize(("text", "span"), WITH_CONTEXT)
def test_valid_ssns(scan: Scan, text: str, span: str) -> None:
    assert scan(text, ("US_SSN",)) == [("US_SSN", span, "536904399")]


@pytest.mark.parametrize("text", INVALID)
def test_near_misses(scan: Scan, text: str) -> None:
    assert scan(text, ("US_SSN",)) == []


def test_confidence_without_context(default_set: DetectorSet) -> None:
    [formatted] = default_set.scan("see 536-90-4399", "1")
    assert (formatted.kind, formatted.masked) == ("US_SSN", "***-**-4399")
    assert formatted.confidence == pytest.approx(0.5)
    [with_context] = default_set.scan("SSN 536-90-4399", "1")
    assert with_context.confidence > formatted.confidence
    # nine bare digits without context fall under min_confidence
    assert [f.kind for f in default_set.scan("see 536904399", "1")] == []
    # after a reference word (ticket, case, order...) a formatted one falls under it too
    assert [f.kind for f in default_set.scan("Ticket 536-90-4399", "1")] == []


def test_obfuscated_ssn(scan: Scan) -> None:
    text = "SSN ５３６\u2011９０\u2011４３９９"
    assert scan(text, ("US_SSN",)) == [("US_SSN", text[4:], "536904399")]
