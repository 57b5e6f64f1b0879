"""Masking what the message page shows."""

from __future__ import annotations

import pytest

from crossguard.core.mask import mask_words


@pytest.mark.parametrize(("text", "expected"), [
    ("Re: Action needed", "Re: Action needed"),
    ("Order ORD-83925063 shipped", "Order ***-******63 shipped"),
    ("From alice.smith@example.com today", "From a***@example.com today"),
    ("<bob@cust.test>", "b***@cust.test"),
    ("call 2135789894", "call ********94"),
    ("smime.p7m scan2.pdf", "smime.p7m scan2.pdf"),
])
def test_mask_words(text: str, expected: str) -> None:
    assert mask_words(text) == expected
