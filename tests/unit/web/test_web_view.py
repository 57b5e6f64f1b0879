"""Masking what the message page shows."""

from __future__ import annotations

import pytest

from crossguard.api.server import split_listen
from crossguard.errors import ConfigError
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


@pytest.mark.parametrize(("listen", "expected"), [
    ("127.0.0.1:8025", ("127.0.0.1", 8025)), (":9000", ("127.0.0.1", 9000)),
    ("[::1]:8025", ("::1", 8025)),
])
def test_split_listen(listen: str, expected: tuple[str, int]) -> None:
    assert split_listen(listen) == expected


@pytest.mark.parametrize("listen", ["8025", "host:", "host:http", "host:70000"])
def test_split_listen_refuses(listen: str) -> None:
    with pytest.raises(ConfigError, match="HOST:PORT"):
        split_listen(listen)
