"""Files uuencoded into a text part, as ``uuencode file | mail`` and old mailers send
them: each block (``begin 644 name`` ... ``end``, or ``begin-base64`` ... ``====``) is
read as a part inside the text, named by its file name, and left out of the text. What
a block holds that is not its encoding stays text (noted, as for a uuencoded part)."""

from __future__ import annotations

import re

from crossguard.message.context import Leaf, ParseContext, type_of
from crossguard.message.transfer import decode_base64, decode_uu_lines

#: A block's first line (``begin``, the mode, the name) or its last (``end``; ``====`` after
#: base64): found in one pass, then paired, so that lines opening no block cost nothing.
_MARK = re.compile(r"^(?:begin(-base64)? [0-7]{3,4} ([^\n]*\S)|(end|====))[ \t]*$",
                   re.MULTILINE)


def read_blocks(text: str, leaf: Leaf, ctx: ParseContext) -> str:
    """``text`` without its uuencoded blocks, each block's file read as a part."""
    if not text.startswith("begin") and "\nbegin" not in text:
        return text
    kept, at = [], 0
    for begin, end in _blocks(text):
        encoded = text[begin.end() + 1:end.start()].encode("latin-1", "replace")
        if begin.group(1):  # begin-base64
            data, unread = decode_base64(encoded, lambda kind, reason: ctx.note(
                kind, leaf.path, reason))
        else:
            data, dropped = decode_uu_lines(encoded.splitlines())
            unread = b"\n".join(dropped)
            if unread:
                ctx.note("bad_uuencode", leaf.path, "uuencode lines were not decoded")
        kept += [text[at:begin.start()], unread.decode("latin-1")]
        at = end.end()
        name = begin.group(2)
        ctx.read_leaf(Leaf(path=ctx.named(f"{leaf.path}/", name),
                           content_type=type_of(name),
                           data=data, depth=leaf.depth + 1, filename=name, is_attachment=True))
    kept.append(text[at:])
    return "".join(kept)


def _blocks(text: str) -> list[tuple[re.Match[str], re.Match[str]]]:
    """Each block's first and last line: a ``begin`` line and the next ``end`` (``====``
    after ``begin-base64``); a later ``begin`` before it starts the block afresh."""
    blocks = []
    opened: re.Match[str] | None = None
    for mark in _MARK.finditer(text):
        if mark.group(2) is not None:
            opened = mark
        elif opened is not None and (mark.group(3) == "====") == (opened.group(1) is not None):
            blocks.append((opened, mark))
            opened = None
    return blocks
