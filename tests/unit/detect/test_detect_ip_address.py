"""IP_ADDRESS vectors: dotted quads (RFC 791), IPv6 text forms (RFC 5952, RFC 3849 prefix)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

Scan = Callable[..., list[tuple[str, str, str]]]

VALID = [
    ("from 8.8.8.8 today", "8.8.8.8", "8.8.8.8"),
    ("host 203.0.113.7.", "203.0.113.7", "203.0.113.7"),
    ("lan 192.168.1.10 here", "192.168.1.10", "192.168.1.10"),
    ("v6 2001:db8::1 ok", "2001:db8::1", "2001:db8::1"),
    (
        "v6 2001:0DB8:0000:0000:0000:0000:0000:0001",
        "2001:0DB8:0000:0000:0000:0000:0000:0001",
        "2001:db8::1",
    ),
]

# IPv6 loopback and IPv4-mapped forms, from Presidio's test_ip_recognizer.py
VALID += [
    ("my ip: ::1", "::1", "::1"),
    ("::ffff:192.0.2.1", "::ffff:192.0.2.1", "::ffff:c000:201"),
]

INVALID = [
    "version 256.1.1.1",
    "version 1.2.3.4.5",
    "at 10:30:00 sharp",
    "ratio 1:2:3",
    "C++ std::cout and a::b",
]


@pytest.mark.parametrize(("text", "span", "value"), VALID)
def test_valid_addresses(scan: Scan, text: str, span: str, value: str) -> None:
    assert scan(text, ("IP_ADDRESS",)) == [("IP_ADDRESS", span, value)]


@pytest.mark.parametrize("text", INVALID)
def test_near_misses(scan: Scan, text: str) -> None:
    assert scan(text, ("IP_ADDRESS",)) == []
