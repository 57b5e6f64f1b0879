"""TNEF (``winmail.dat``, ``application/ms-tnef``) with tnefparse.

The body (plain or HTML) is the part's text, the message's text-valued MAPI properties
the field ``<path>/properties``; the compressed RTF of Outlook's Rich
Text format is the part ``<path>/body.rtf``; each attachment becomes a part at
``<path>/<masked file name>``, within the archive limits.
"""

from __future__ import annotations

import struct
from typing import Any

from crossguard.message.charset import fallback_decode
from crossguard.message.context import Leaf, ParseContext, type_of
from crossguard.message.extract.budget import Budget

MAGIC = b"\x78\x9f\x3e\x22"
#: Attributes that open with a count of MAPI entries: the message's properties, the
#: recipient table's rows, an attachment's properties.
_MAPI_BLOCKS = frozenset({0x9003, 0x9004, 0x9005})
_RECIPIENT_TABLE = 0x9004
_MIN_ATTRIBUTE = 12  # tnefparse's TNEF.MIN_OBJ_SIZE
#: MAPI property types as tnefparse reads them (tnefparse.mapi): fixed sizes in bytes;
#: counted, length-prefixed values; the 2-byte kinds whose odd counts are padded.
_FIXED_SIZES = {0x0002: 2, 0x000B: 2, 0x0003: 4, 0x0004: 4, 0x000A: 4, 0x0005: 8, 0x0006: 8,
                0x0007: 8, 0x0014: 8, 0x0040: 8, 0x0048: 16}
_SIZED_KINDS = frozenset({0x0000, 0x000D, 0x001E, 0x001F, 0x0102})
_SHORT_KINDS = frozenset({0x0002, 0x000B})
_MULTI_VALUE = 0x1000
_NAMED = 0x8000


def extract_tnef(leaf: Leaf, ctx: ParseContext) -> str:
    """The TNEF body as text; attachments are read as parts of their own."""
    import tnefparse  # loaded on the first winmail.dat

    if (implausible := _implausible_count(leaf.data)) is not None:
        ctx.note("bad_archive", leaf.path, f"not a readable TNEF file: {implausible}")
        return ""
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
                           content_type=type_of(name),
                           data=data, depth=leaf.depth + 1, filename=name, is_attachment=True))
    ctx.add_field(f"{leaf.path}/properties", _properties(tnef))
    texts = [_text(getattr(tnef, name, None)) for name in ("subject", "body", "htmlbody")]
    _rtf_body(tnef, leaf, ctx)
    return "\n".join(text for text in texts if text)


def _properties(tnef: Any) -> str:
    """The message's text-valued properties (topic, sender and account names, company,
    a body preview...), a line each."""
    values = [prop.data for prop in tnef.mapiprops] + [obj.data for obj in tnef.msgprops]
    texts = [text for value in values
             for text in (value if isinstance(value, list) else [value]) if isinstance(text, str)]
    return "\n".join(" ".join(text.replace("\x00", "").split()) for text in texts if text.strip())


def _implausible_count(data: bytes) -> str | None:
    """Why tnefparse must not read ``data``, or None.

    tnefparse loops over the counts a MAPI block holds (properties, recipient rows, the
    values of a multi-valued property) and goes on past the block's end without an error:
    a 36-byte file claiming 1.2 billion properties held a thread for minutes. The attributes
    are walked here as tnefparse frames them (level, id, type, length, data, checksum), and
    their MAPI blocks as it reads them; a count that could not fit in its block is refused.
    """
    offset = 6  # signature, key
    while offset + _MIN_ATTRIBUTE < len(data):
        ident, = struct.unpack_from("<H", data, offset + 1)
        length, = struct.unpack_from("<I", data, offset + 5)
        size = min(len(data) - offset, length + 11)  # its last two bytes: the checksum
        block = data[offset + 9:offset + size - 2]
        if ident in _MAPI_BLOCKS:
            rows = 1
            at = 0
            if ident == _RECIPIENT_TABLE and len(block) >= 4:
                rows, = struct.unpack_from("<I", block)
                at = 4
            for _ in range(min(rows, len(block) // 8 + 1)):
                if at + 4 > len(block):
                    break
                problem, at = _mapi_problem(block, at)
                if problem is not None:
                    return problem
            if rows > len(block) // 8 + 1:
                return f"a recipient table of {len(block)} bytes claims {rows} rows"
        offset += size
    return None


def _mapi_problem(block: bytes, at: int) -> tuple[str | None, int]:
    """Walk one MAPI property list from ``at`` as tnefparse's ``decode_mapi`` reads it:
    (a count that would run it past the block, or None; the offset it stops at)."""
    count, = struct.unpack_from("<I", block, at)
    at += 4
    if count > len(block) // 8:
        return f"a MAPI block of {len(block)} bytes claims {count} properties", at
    for _ in range(count):
        if at + 4 > len(block):
            return None, at
        kind, name = struct.unpack_from("<HH", block, at)
        at += 4
        if name >= _NAMED:  # a GUID, then a number or a name
            if at + 24 > len(block):
                return None, at
            named, = struct.unpack_from("<I", block, at + 16)
            length = 4 if named == 0 else 4 + _padded(struct.unpack_from("<I", block, at + 20)[0])
            at += 20 + length
        values, multi = 1, bool(kind & _MULTI_VALUE)
        kind &= ~_MULTI_VALUE
        if multi:
            if at + 4 > len(block):
                return None, at
            values, = struct.unpack_from("<I", block, at)
            at += 4
            if values > (len(block) - at) // 2 + 1:
                return f"a MAPI property of {len(block) - at} bytes claims {values} values", at
        for _ in range(values):
            if kind in _FIXED_SIZES:
                at += _FIXED_SIZES[kind]
                continue
            if kind not in _SIZED_KINDS or at + 4 > len(block):
                return None, at  # tnefparse stops here with an error
            entries = 1
            if not multi:
                entries, = struct.unpack_from("<I", block, at)
                at += 4
            for _ in range(min(entries, len(block))):
                if at + 4 > len(block):
                    return None, at
                at += 4 + _padded(struct.unpack_from("<I", block, at)[0])
        if values % 2 and kind in _SHORT_KINDS:
            at += 2
    return None, at


def _padded(length: int) -> int:
    return length + (-length % 4)


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
