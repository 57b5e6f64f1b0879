"""Obfuscated identifiers (issue 21, item 5): each value found and mapped to its original span.

One table per way of hiding a value; each row is (text, kind, the original text the
finding spans, the normalized value).
"""

# ruff: noqa: RUF001  (look-alike characters are the obfuscation under test)

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from crossguard.detect.evasion import long_words

Row = tuple[str, str, str, str]

PERCENT: list[Row] = [
    ("write to john%40example.com today", "EMAIL", "john%40example.com", "john@example.com"),
    ("card 4111%201111%201111%201111 ok", "CARD", "4111%201111%201111%201111",
     "4111111111111111"),
    ("ssn%3A%20219%2D44%2D7713", "US_SSN", "219%2D44%2D7713", "219447713"),
]
BASE64: list[Row] = [
    ("mail am9obi5kb2VAZXhhbXBsZS5jb20= please", "EMAIL", "am9obi5kb2VAZXhhbXBsZS5jb20=",
     "john.doe@example.com"),
    ("data NDExMSAxMTExIDExMTEgMTExMQ== end", "CARD", "NDExMSAxMTExIDExMTEgMTExMQ==",
     "4111111111111111"),
]
HOMOGLYPH: list[Row] = [
    ("mail jоhn.dоe@exаmple.com now", "EMAIL", "jоhn.dоe@exаmple.com", "john.doe@example.com"),
    ("to ΤΕRRΥ@ΕΧΑΜΡLΕ.COM", "EMAIL", "ΤΕRRΥ@ΕΧΑΜΡLΕ.COM", "terry@example.com"),
]
COMMENTS: list[Row] = [
    ("john(at)example(dot)com", "EMAIL", "john(at)example(dot)com", "john@example.com"),
    ("reach john [at] example [dot] com", "EMAIL", "john [at] example [dot] com",
     "john@example.com"),
    ("terry dot walker at yahoo dot com", "EMAIL", "terry dot walker at yahoo dot com",
     "terry.walker@yahoo.com"),
]
BROKEN: list[Row] = [
    ("john.smith@exam\nple.com x", "EMAIL", "john.smith@exam\nple.com", "john.smith@example.com"),
    ("john.smith\n@example.com", "EMAIL", "john.smith\n@example.com", "john.smith@example.com"),
    ("to jane.doe@exam\nple.co\n.uk x", "EMAIL", "jane.doe@exam\nple.co\n.uk",
     "jane.doe@example.co.uk"),
    ("jo.\nhn.\nsmith@example.com", "EMAIL", "jo.\nhn.\nsmith@example.com",
     "jo.hn.smith@example.com"),
    ("john<b></b>.smith@example.com", "EMAIL", "john<b></b>.smith@example.com",
     "john.smith@example.com"),
    ("4111 1111<span></span> 1111 1111", "CARD", "4111 1111<span></span> 1111 1111",
     "4111111111111111"),
    ("card 4111 1111\n1111 1111", "CARD", "4111 1111\n1111 1111", "4111111111111111"),
]
RTL: list[Row] = [
    ("x \u202emoc.elpmaxe@nhoj\u202c y", "EMAIL", "\u202emoc.elpmaxe@nhoj\u202c",
     "john@example.com"),
    ("ssn 219\u202e-\u202c44-7713", "US_SSN", "219\u202e-\u202c44-7713", "219447713"),
]
DOB: list[Row] = [
    ("Terry Walker 03/14/1985 called", "DOB", "03/14/1985", "1985-03-14"),
    ("Terry Walker, 14 March 1985", "DOB", "14 March 1985", "1985-03-14"),
    ("Terry J. Walker (1985-03-14)", "DOB", "1985-03-14", "1985-03-14"),
    ("she was born 3/14/1985", "DOB", "3/14/1985", "1985-03-14"),
]
TABLES = {"percent": PERCENT, "base64": BASE64, "homoglyph": HOMOGLYPH, "comments": COMMENTS,
          "broken": BROKEN, "rtl": RTL, "dob": DOB}
ROWS = [(name, *row) for name, rows in TABLES.items() for row in rows]

Scan = Callable[..., list[tuple[str, str, str]]]


@pytest.mark.parametrize(("table", "text", "kind", "original", "value"), ROWS,
                         ids=[f"{row[0]}-{n}" for n, row in enumerate(ROWS)])
def test_obfuscated_value_is_found_at_its_original_span(
    scan: Scan, table: str, text: str, kind: str, original: str, value: str
) -> None:
    assert (kind, original, value) in scan(text)


@pytest.mark.parametrize("text", [
    "Terry Walker\nterry.walker@x.com",  # a name on the line before an address: not joined
    "write to terry.walker@x.com.\nThanks",  # a full stop ends the sentence: not joined
    "Dear Terry Walker 03/14/2024",  # too recent to be a birth date
    "Order Shipped 2026-03-02",
    "save 50%20off",  # decodes, but holds no identifier
    "token QWxhZGRpbjpvcGVuIHNlc2FtZQ== here",  # base64 of text with no @ or digits
])
def test_no_false_value(scan: Scan, text: str) -> None:
    found = scan(text)
    assert all(kind == "EMAIL" and value == "terry.walker@x.com" for kind, _, value in found)


@given(st.lists(st.sampled_from(["am9obi5kb2VAZXhhbXBsZS5jb20=", "QWxh", "+/", "=", "0123", " ",
                                 "\n", "\x1c", "\t", ".", "(", "é", "\xa0", "x"]), max_size=16))
@example(["(", "am9obi5kb2VAZXhhbXBsZS5jb20=", ").", " ", "am9obi5kb2VAZXhhbXBsZS5jb20="])
def test_long_words_are_the_words_a_base64_token_can_lie_in(pieces: list[str]) -> None:
    """Every white-space-delimited word of 16 or more characters, each at its start; in
    ASCII text only those holding a run of 16 base64 characters."""
    text = "".join(pieces)
    expected = [(m.start(), m.group()) for m in re.finditer(r"\S{16,}", text)
                if not text.isascii() or re.search(r"[A-Za-z0-9+/]{16}", m.group())]
    assert list(long_words(text)) == expected
