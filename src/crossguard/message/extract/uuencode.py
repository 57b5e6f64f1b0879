"""Files uuencoded into a text part, as ``uuencode file | mail`` and old mailers send
them: each block (``begin 644 name`` ... ``end``, or ``begin-base64`` ... ``====``) is
read as a part inside the text, named by its file name, and left out of the text."""

from __future__ import annotations

import binascii
import mimetypes
import re

from crossguard.message.context import Leaf, ParseContext

_BLOCK = re.compile(r"^begin(-base64)? [0-7]{3,4} ([^\n]*\S)[ \t]*\n(.*?)^(?:end|====)[ \t]*$",
                    re.MULTILINE | re.DOTALL)
_ZERO_LENGTH = "`"  # the last line of a block: no bytes


def read_blocks(text: str, leaf: Leaf, ctx: ParseContext) -> str:
    """``text`` without its uuencoded blocks, each block's file read as a part; a block
    that does not decode stays text, noted ``unsupported_type``."""
    if not text.startswith("begin") and "\nbegin" not in text:
        return text
    kept, at = [], 0
    for block in _BLOCK.finditer(text):
        data = _decoded(block.group(3), base64=block.group(1) is not None)
        if data is None:
            ctx.note("unsupported_type", leaf.path, "a uuencoded block that does not decode")
            continue
        kept.append(text[at:block.start()])
        at = block.end()
        name = block.group(2)
        ctx.read_leaf(Leaf(path=ctx.named(f"{leaf.path}/", name),
                           content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
                           data=data, depth=leaf.depth + 1, filename=name, is_attachment=True))
    kept.append(text[at:])
    return "".join(kept)


def _decoded(body: str, *, base64: bool) -> bytes | None:
    """The bytes of a block's lines; None when they are not uuencoding (or base64)."""
    try:
        if base64:
            return binascii.a2b_base64(body.encode("ascii"))
        return b"".join(_line(line) for line in body.split("\n")
                        if line.strip() and line != _ZERO_LENGTH)
    except (binascii.Error, UnicodeEncodeError):
        return None


def _line(line: str) -> bytes:
    """One uuencoded line; one padded past its count (some encoders do) read to its count."""
    try:
        return binascii.a2b_uu(line)
    except binascii.Error:
        count = (ord(line[0]) - 32) & 63  # bytes; then 4 characters for every 3 of them
        return binascii.a2b_uu(line[:(count * 4 + 5) // 3])
