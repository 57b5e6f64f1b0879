"""EMAIL vectors.

Addresses in RFC 5322 dot-atom form (RFC 5321 section 4.1.2 examples,
RFC 2606 reserved domains); obfuscated forms are the spelled-out "at"/"dot"
variants seen in customer mail. The value is the address lower-cased.
"""

# ruff: noqa: RUF001  (look-alike characters are the obfuscation under test)

from __future__ import annotations

from collections.abc import Callable

import pytest

Scan = Callable[..., list[tuple[str, str, str]]]

VALID = [
    ("mail John.Doe@Example.com now", "John.Doe@Example.com", "john.doe@example.com"),
    ("<jane+tag@mail.example.org>", "jane+tag@mail.example.org", "jane+tag@mail.example.org"),
    ("x o'brien@example.ie.", "o'brien@example.ie", "o'brien@example.ie"),
    (
        "user_1@sub-domain.example.co.uk,",
        "user_1@sub-domain.example.co.uk",
        "user_1@sub-domain.example.co.uk",
    ),
    # an IDN top-level domain, from Presidio's test_email_recognizer.py
    ("a@xn--d1acufc.xn--p1ai", "a@xn--d1acufc.xn--p1ai", "a@xn--d1acufc.xn--p1ai"),
    # a signature's "--", a dash or a "+" ending the line before (broken lines are joined)
    ("Best,\n--\nterry.walker@gmail.com", "terry.walker@gmail.com", "terry.walker@gmail.com"),
    ("Write to us -\nterry@example.com", "terry@example.com", "terry@example.com"),
    ("Google +\nservice@example.fr", "service@example.fr", "service@example.fr"),
]

INVALID = [
    "not an address: john@localhost",
    "dots .john..doe@example.com are wrong",
    "handle @example.com alone",
    "visit us at example.com today",
    "we met at noon, then at five",
]

OBFUSCATED = [
    (
        "write john dot doe at example dot com",
        "john dot doe at example dot com",
        "john.doe@example.com",
    ),
    ("write jane[at]example(dot)org!", "jane[at]example(dot)org", "jane@example.org"),
    ("write jane (at) example.org", "jane (at) example.org", "jane@example.org"),
    ("write JANE AT EXAMPLE DOT ORG", "JANE AT EXAMPLE DOT ORG", "jane@example.org"),
    (
        "full-width ｊａｎｅ＠ｅｘａｍｐｌｅ．ｏｒｇ",
        "ｊａｎｅ＠ｅｘａｍｐｌｅ．ｏｒｇ",
        "jane@example.org",
    ),
    (
        "zero\u200bwidth jo\u200bhn@exam\u200bple.com",
        "jo\u200bhn@exam\u200bple.com",
        "john@example.com",
    ),
]


@pytest.mark.parametrize(("text", "span", "value"), VALID)
def test_valid_emails(scan: Scan, text: str, span: str, value: str) -> None:
    assert scan(text, ("EMAIL",)) == [("EMAIL", span, value)]


@pytest.mark.parametrize("text", INVALID)
def test_near_misses(scan: Scan, text: str) -> None:
    assert scan(text, ("EMAIL",)) == []


@pytest.mark.parametrize(("text", "span", "value"), OBFUSCATED)
def test_obfuscated_emails(scan: Scan, text: str, span: str, value: str) -> None:
    assert scan(text, ("EMAIL",)) == [("EMAIL", span, value)]
