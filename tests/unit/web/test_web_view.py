"""Masking what the message page shows."""

from __future__ import annotations

import pytest

from crossguard.web.view import mask_text


@pytest.mark.parametrize(("text", "expected"), [
    ("Re: Action needed", "Re: Action needed"),
    ("Order ORD-83925063 shipped", "Order ***-******63 shipped"),
    ("From alice.smith@example.com today", "From a***@example.com today"),
    ("<bob@cust.test>", "b***@cust.test"),
    ("call 2135789894", "call ********94"),
])
def test_mask_text(text: str, expected: str) -> None:
    assert mask_text(text) == expected
