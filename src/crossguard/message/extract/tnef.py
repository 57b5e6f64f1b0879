"""TNEF (``winmail.dat``, ``application/ms-tnef``) with tnefparse.

The body (plain or HTML) is the part's text; the compressed RTF of Outlook's Rich
Text format is the part ``<path>/body.rtf``; each attachment becomes a part at
``<path>/<masked file name>``, within the archive limits.
"""

from __future__ import annotations

import mimetypes
from typing import Any

from crossguard.message.charset import fallback_decode
from crossguard.message.context import Leaf, ParseContext
from crossguard.message.extract.budget import Budget

MAGIC = b"\x78\x9f\x3e\x22"


def extract_tnef(leaf: Leaf, ctx: ParseContext) -> str:
    """The TNEF body as text; attachments are read as parts of their own."""
    import tnefparse  # loaded on the first winmail.dat

    try:
        tnef = tnefparse.TNEF(leaf.data, do_checksum=False)
    except Exception as error:  # tnefparse raises bare ValueError/struct.error/IndexError
        ctx.note("bad_archive", leaf.path, f"not a readable TNEF file: {type(error).__name__}")
        return ""
    budget = Budget(leaf, ctx)
    for number, attachment in enumerate(budget.members(tnef.attachments), 1):
        name = _text(_name(attachment)) or f"attachment{number}"
        path = ctx.named(f"{leaf.path}/", name)
        data = bytes(getattr(attachment, "data", b"") or b"")
        if not budget.check(path, len(data), len(leaf.data)):
            continue
        budget.spend(len(data))
        ctx.read_leaf(Leaf(path=path,
                           content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
                           data=data, depth=leaf.depth + 1, filename=name, is_attachment=True))
    texts = [_text(getattr(tnef, name, None)) for name in ("subject", "body", "htmlbody")]
    _rtf_body(tnef, leaf, ctx)
    return "\n".join(text for text in texts if text)


def _rtf_body(tnef: Any, leaf: Leaf, ctx: ParseContext) -> None:
    """Read the compressed RTF body (Outlook's Rich Text format, or an HTML message it wraps)
    as the part ``<path>/body.rtf``."""
    try:
        body = tnef.rtfbody
    except Exception as error:  # compressed_rtf raises bare errors on a damaged stream
        ctx.note("bad_archive", leaf.path, f"unreadable RTF body: {type(error).__name__}")
        return
    if isinstance(body, bytes) and body:
        ctx.read_leaf(Leaf(path=f"{leaf.path}/body.rtf", content_type="text/rtf", data=body,
                           depth=leaf.depth + 1))


def _name(attachment: Any) -> Any:
    try:
        return attachment.long_filename() or attachment.name
    except Exception:  # a damaged name property
        return getattr(attachment, "name", None)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = fallback_decode(value)
    return str(value).replace("\x00", "").strip()
