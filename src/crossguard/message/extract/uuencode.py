"""Files uuencoded into a text part, as ``uuencode file | mail`` and old mailers send
them: each block (``begin 644 name`` ... ``end``, or ``begin-base64`` ... ``====``) is
read as a part inside the text, named by its file name, and left out of the text. What
a block holds that is not its encoding stays text (noted, as for a uuencoded part)."""

from __future__ import annotations

import mimetypes
import re

from crossguard.message.context import Leaf, ParseContext
from crossguard.message.transfer import decode_base64, decode_uu_lines

_BLOCK = re.compile(r"^begin(-base64)? [0-7]{3,4} ([^\n]*\S)[ \t]*\n(.*?)^(?:end|====)[ \t]*$",
                    re.MULTILINE | re.DOTALL)


def read_blocks(text: str, leaf: Leaf, ctx: ParseContext) -> str:
    """``text`` without its uuencoded blocks, each block's file read as a part."""
    if not text.startswith("begin") and "\nbegin" not in text:
        return text
    kept, at = [], 0
    for block in _BLOCK.finditer(text):
        encoded = block.group(3).encode("latin-1", "replace")
        if block.group(1):  # begin-base64
            data, unread = decode_base64(encoded, lambda kind, reason: ctx.note(
                kind, leaf.path, reason))
        else:
            data, dropped = decode_uu_lines(encoded.splitlines())
            unread = b"\n".join(dropped)
            if unread:
                ctx.note("bad_uuencode", leaf.path, "uuencode lines were not decoded")
        kept += [text[at:block.start()], unread.decode("latin-1")]
        at = block.end()
        name = block.group(2)
        ctx.read_leaf(Leaf(path=ctx.named(f"{leaf.path}/", name),
                           content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
                           data=data, depth=leaf.depth + 1, filename=name, is_attachment=True))
    kept.append(text[at:])
    return "".join(kept)
