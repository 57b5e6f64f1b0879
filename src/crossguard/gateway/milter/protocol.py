"""The Sendmail 8 milter wire protocol (version 6), as Postfix's ``milter8.c`` speaks it.

A packet is a 4-byte big-endian length (command byte included), one command
byte and its data; strings are NUL-terminated. The MTA sends commands
(``SMFIC_*``) and the filter answers each, except macros, abort and quit,
with one reply (``SMFIR_*``). Option negotiation tells the MTA which events
the filter does not want (``SMFIP_NO*``) and which ones it will not answer
(``SMFIP_NR_*``).

References: Sendmail's ``libmilter/mfdef.h`` and Postfix's ``src/milter/milter8.c``.
"""

from __future__ import annotations

import asyncio
import struct
from dataclasses import dataclass

VERSION = 6
#: Largest packet accepted from the MTA (Postfix sends body chunks of at most 65,535 bytes).
MAX_PACKET = 1 << 20

# Commands from the MTA.
ABORT, BODY, CONNECT, MACRO, BODYEOB = b"A", b"B", b"C", b"D", b"E"
HELO, QUIT_NC, HEADER, MAIL, EOH = b"H", b"K", b"L", b"M", b"N"
OPTNEG, QUIT, RCPT, DATA, UNKNOWN = b"O", b"Q", b"R", b"T", b"U"

# Replies to the MTA.
ACCEPT, CONTINUE, DISCARD, REJECT, TEMPFAIL, REPLYCODE = b"a", b"c", b"d", b"r", b"t", b"y"

# Protocol flags (SMFIP_*): events not wanted, replies not sent.
NOCONNECT, NOHELO, NOMAIL, NORCPT = 0x1, 0x2, 0x4, 0x8
NOBODY, NOHDRS, NOEOH, NR_HDR = 0x10, 0x20, 0x40, 0x80
NOUNKNOWN, NODATA = 0x100, 0x200
NR_CONN, NR_HELO, NR_MAIL, NR_RCPT = 0x1000, 0x2000, 0x4000, 0x8000
NR_DATA, NR_UNKN, NR_EOH, NR_BODY = 0x10000, 0x20000, 0x40000, 0x80000
HDR_LEADSPC = 0x100000

#: What crossguard asks for: the envelope, headers and body; no connect, HELO, DATA or
#: unknown commands; no reply per header, end of headers or body chunk; header values
#: exactly as sent (leading space kept).
WANTED = NOCONNECT | NOHELO | NOUNKNOWN | NODATA | NR_HDR | NR_EOH | NR_BODY | HDR_LEADSPC

#: Commands the filter never answers (whatever was negotiated).
SILENT = {MACRO, ABORT, QUIT, QUIT_NC}


class ProtocolError(Exception):
    """The MTA sent something that is not the milter protocol."""


@dataclass(frozen=True, slots=True)
class Packet:
    """One command from the MTA."""

    command: bytes
    data: bytes


async def read_packet(reader: asyncio.StreamReader) -> Packet:
    """Read one packet; ``asyncio.IncompleteReadError`` at a clean end of stream."""
    (length,) = struct.unpack("!I", await reader.readexactly(4))
    if not 1 <= length <= MAX_PACKET:
        raise ProtocolError(f"packet length {length} out of range")
    payload = await reader.readexactly(length)
    return Packet(payload[:1], payload[1:])


def encode(command: bytes, data: bytes = b"") -> bytes:
    """One packet to the MTA."""
    return struct.pack("!I", len(data) + 1) + command + data


def strings(data: bytes) -> list[str]:
    """The NUL-terminated strings of a packet (UTF-8, undecodable bytes kept as escapes)."""
    parts = data.split(b"\0")
    if parts and parts[-1] == b"":
        parts.pop()
    return [part.decode("utf-8", "surrogateescape") for part in parts]


def negotiate(data: bytes) -> bytes:
    """The reply to ``SMFIC_OPTNEG``: version 6, no message changes, the events we want."""
    if len(data) < 12:
        raise ProtocolError("short option negotiation")
    version, _actions, offered = struct.unpack("!III", data[:12])
    if version < 2:
        raise ProtocolError(f"milter protocol version {version} is too old")
    return encode(OPTNEG, struct.pack("!III", min(version, VERSION), 0, WANTED & offered))


def negotiated_flags(reply: bytes) -> int:
    """The protocol flags a :func:`negotiate` reply agreed on."""
    return int(struct.unpack("!I", reply[-4:])[0])


def macros(data: bytes) -> dict[str, str]:
    """``SMFIC_MACRO``: the command it belongs to, then name/value pairs."""
    items = strings(data[1:])
    return {name.strip("{}"): value for name, value in zip(items[::2], items[1::2], strict=False)}


def address(argument: str) -> str:
    """``<local@domain>`` (MAIL or RCPT's first argument) -> ``local@domain``."""
    argument = argument.strip()
    if argument.startswith("<") and argument.endswith(">"):
        argument = argument[1:-1]
    return argument


def reply_code(text: str) -> bytes:
    """``SMFIR_REPLYCODE`` with an SMTP reply line (``%`` escaped, as libmilter requires)."""
    clean = " ".join(text.replace("%", "%%").split())
    return encode(REPLYCODE, clean.encode("utf-8", "replace") + b"\0")
