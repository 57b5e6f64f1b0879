"""Content-Transfer-Encoding: base64, quoted-printable and uuencode, best effort with notes."""

from __future__ import annotations

import binascii
import re
from collections.abc import Callable

NoteFn = Callable[[str, str], None]

_B64_JUNK = re.compile(rb"[^A-Za-z0-9+/=]")
_B64_SEGMENT = re.compile(rb"[^=]+=*")
_QP_BAD_ESCAPE = re.compile(rb"=(?![0-9A-Fa-f]{2}|[ \t]*\r?\n|[ \t]*$)")
IDENTITY = frozenset({"", "7bit", "8bit", "binary"})
"""Transfer encodings that leave the bytes as they are."""
_UU = frozenset({"x-uuencode", "uuencode", "x-uue", "uue"})


def decode_transfer(payload: bytes, encoding: str, note: NoteFn) -> tuple[bytes, bytes]:
    """Undo a transfer encoding: the data, and the source text the decoding dropped (b""
    when none). Unknown encodings are noted and the bytes kept as they are."""
    name = encoding.strip().strip("\"'").lower()
    if name in IDENTITY:
        return payload, b""
    if name == "base64":
        return decode_base64(payload, note)
    if name == "quoted-printable":
        return decode_qp(payload, note), b""
    if name in _UU:
        return decode_uu(payload, note)
    note("unknown_transfer_encoding", f"unknown transfer encoding {name[:40]!r}; read as is")
    return payload, b""


def decode_base64(payload: bytes, note: NoteFn) -> tuple[bytes, bytes]:
    """Decode base64, skipping stray characters and repairing padding (each noted); when
    either was needed, the whole source is kept as text the decoding may have dropped."""
    compact = payload.translate(None, b" \t\r\n")
    junk = _B64_JUNK.search(compact) is not None
    if junk:
        note("bad_base64", "characters outside the base64 alphabet were skipped")
        compact = _B64_JUNK.sub(b"", compact)
    body = compact.rstrip(b"=")
    if b"=" not in body and len(compact) % 4 == 0:
        try:
            return binascii.a2b_base64(compact), payload if junk else b""
        except binascii.Error:
            pass
    out = bytearray()
    repaired = False
    for segment in _B64_SEGMENT.findall(compact):
        data = segment.rstrip(b"=")
        if len(data) % 4 == 1:
            data = data[:-1]
            repaired = True
        padded = data + b"=" * (-len(data) % 4)
        repaired = repaired or padded != segment
        try:
            out += binascii.a2b_base64(padded)
        except binascii.Error:
            repaired = True
    if repaired:
        note("bad_base64", "base64 data was truncated or badly padded; decoded what was readable")
    return bytes(out), payload if junk or repaired else b""


def decode_qp(payload: bytes, note: NoteFn) -> bytes:
    """Decode quoted-printable; malformed escapes are kept literally and noted."""
    if _QP_BAD_ESCAPE.search(payload):
        note("bad_quoted_printable", "malformed quoted-printable escapes kept as they are")
    return binascii.a2b_qp(payload)


def decode_uu(payload: bytes, note: NoteFn) -> tuple[bytes, bytes]:
    """Decode a uuencoded body between ``begin`` and ``end``, and keep what the decoding
    drops (noted): damaged lines, a line's text past its length (one trailing character,
    as some encoders add, is not text), text outside the block."""
    lines = payload.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(b"begin ")), None)
    if start is None:
        note("bad_uuencode", "no uuencode 'begin' line; read as is")
        return payload, b""
    end = next((i for i in range(start + 1, len(lines)) if lines[i].strip() == b"end"),
               len(lines))
    out, dropped = decode_uu_lines(lines[start + 1:end])
    unread = b"\n".join(line for line in [*lines[:start], *dropped, *lines[end + 1:]]
                        if line.strip())
    if unread:
        note("bad_uuencode", "uuencode lines or text around them were not decoded")
    return out, unread


def decode_uu_lines(lines: list[bytes]) -> tuple[bytes, list[bytes]]:
    """The bytes of uuencoded lines, and what they hold that is not uuencoding: a damaged
    line, a line's text past its length (one trailing character, as some encoders add,
    is not text)."""
    out = bytearray()
    dropped = []
    for line in lines:
        try:
            out += binascii.a2b_uu(line)
        except binascii.Error:
            length = ((line[0] - 32) & 63) * 4 + 5 if line else 0
            try:
                out += binascii.a2b_uu(line[: length // 3])
            except binascii.Error:
                dropped.append(line)
            else:
                if len(line[length // 3 :].strip(b" `\t")) > 1:
                    dropped.append(line[length // 3 :])
    return bytes(out), dropped
