"""Plain text, CSV, TSV and JSON: decode the bytes with charset fallbacks; files
uuencoded into the text are parts inside it."""

from __future__ import annotations

from crossguard.message.charset import decode_text
from crossguard.message.context import Leaf, ParseContext
from crossguard.message.extract.uuencode import read_blocks


def extract_plain(leaf: Leaf, ctx: ParseContext) -> str:
    """The text of a text-like part, line endings normalized to ``\\n``."""
    text = decode_text(
        leaf.data, leaf.charset, lambda kind, reason: ctx.note(kind, leaf.path, reason)
    )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return read_blocks(text, leaf, ctx)
