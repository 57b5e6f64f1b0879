"""Block-read DATA gives aiosmtpd's content and never reads past the terminator."""

from __future__ import annotations

import asyncio

import pytest
from aiosmtpd.smtp import SMTP
from hypothesis import given
from hypothesis import strategies as st

from crossguard.gateway.smtp import DataRefused, GatewaySMTP, read_data


def line_by_line(stream: bytes) -> tuple[bytes, bytes]:
    """aiosmtpd's reading, as a reference: (content, what follows the terminator)."""
    lines, rest = [], stream
    while True:
        line, _, rest = rest.partition(b"\r\n")
        if line == b".":
            return b"".join(lines), rest
        lines.append((line[1:] if line.startswith(b".") else line) + b"\r\n")


def read(stream: bytes, *, pieces: int = 1, buffer: int = 64 * 1024,
         max_bytes: int | None = None) -> tuple[bytes, bytes]:
    """Feed ``stream`` in ``pieces`` and read one section: (content, bytes left unread)."""

    async def go() -> tuple[bytes, bytes]:
        reader = asyncio.StreamReader(limit=buffer)
        step = max(1, len(stream) // pieces)

        async def feed() -> None:
            for start in range(0, len(stream), step):
                reader.feed_data(stream[start:start + step])
                await asyncio.sleep(0)
            reader.feed_eof()

        feeder = asyncio.ensure_future(feed())
        content = await read_data(reader, max_bytes)
        await feeder
        return content, await reader.read()

    return asyncio.run(go())


@pytest.mark.parametrize("stream", [
    b".\r\nQUIT\r\n",                                   # empty message
    b"\r\n.\r\nQUIT\r\n",                               # one empty line
    b"x\r\n.\r\nQUIT\r\n",                              # one short line
    b"..\r\n.\r\nQUIT\r\n",                             # a stuffed lone dot
    b"Subject: a\r\n\r\n..x\r\n...\r\nbody\r\n.\r\nMAIL FROM:<a@b>\r\n",
    b"a\r\n.x\r\n.\r\n.\r\n",                           # a second terminator stays unread
])
@pytest.mark.parametrize("pieces", [1, 3, 1000])
def test_content_and_unread_bytes_match_aiosmtpd(stream: bytes, pieces: int) -> None:
    assert read(stream, pieces=pieces) == line_by_line(stream)


@given(st.lists(st.sampled_from([b"", b".", b"..", b"a", b"\r", b"\n", b".\r", b"x" * 40]),
                max_size=24), st.integers(1, 50), st.sampled_from([8, 64, 1024]))
def test_any_section_matches_aiosmtpd(parts: list[bytes], pieces: int, buffer: int) -> None:
    lines = [b"." + line if line.startswith(b".") else line for line in b"".join(parts)
             .split(b"\r\n")]
    stream = b"".join(line + b"\r\n" for line in lines if line != b".") + b".\r\nQUIT\r\n"
    assert read(stream, pieces=pieces, buffer=buffer) == line_by_line(stream)


def test_a_line_over_1000_characters_is_refused_after_the_whole_section() -> None:
    with pytest.raises(DataRefused, match=r"^500 "):
        read(b"a" * 1000 + b"\r\n.\r\n")
    assert read(b"a" * 999 + b"\r\n.\r\n")[0] == b"a" * 999 + b"\r\n"


def test_a_section_over_the_size_limit_is_refused() -> None:
    with pytest.raises(DataRefused, match=r"^552 "):
        read(b"a\r\n" * 5000 + b".\r\n", buffer=1024, max_bytes=10_000)
    assert read(b"a\r\n" * 3000 + b".\r\n", max_bytes=10_000)[0] == b"a\r\n" * 3000


@pytest.mark.parametrize("arg", [
    "<care.team@example.com>", " <a@b.example> SIZE=3000 BODY=8BITMIME", "<a@b>",
    "<first.o'neil+tag@mail-1.example.co.uk>", "<x@example.com>  ", "<>", "",
    "a@example.com", "<a..b@example.com>", "<a@-bad.example>", "<\"quoted\"@example.com>",
    "<a(comment)@example.com>", "<@route:a@example.com>", "<a@[192.0.2.1]>", "<ü@example.com>",
    "<a@example.com", "<a@example.com>>", "<a@example.com> (c) SIZE=1", "<a@example.com>\tX=1 ",
])
def test_addresses_split_as_aiosmtpd_splits_them(arg: str) -> None:
    session = GatewaySMTP.__new__(GatewaySMTP)  # _getaddr reads no per-connection state
    assert session._getaddr(arg) == SMTP._getaddr(session, arg)
