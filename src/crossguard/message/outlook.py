"""Outlook .msg files (OLE2) via extract-msg: top level or attached.

A mail item gives parties, bodies (plain, HTML and RTF, each read) and
attachments (embedded items recurse); a contact gives its text fields too.
"""

from __future__ import annotations

import warnings
from io import BytesIO
from typing import Any

from crossguard.errors import MessageParseError
from crossguard.message.charset import fallback_decode
from crossguard.message.context import Leaf, ParseContext
from crossguard.message.fields import id_text
from crossguard.message.headers import addresses, first_id
from crossguard.message.model import Message, Part

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SENDER_EMAIL = "__substg1.0_0C1F"  # PR_SENDER_EMAIL_ADDRESS
#: PR_HTML, read as stored: extract-msg's htmlBody makes one from the RTF body when it is
#: missing, through RTFDE (5 s for 500 KB), which the RTF reader does not need.
_HTML_BODY = "__substg1.0_10130102"
_TO, _CC = 1, 2  # MAPI recipient types; Bcc (3) lives only in the envelope

_CONTACT_FIELDS = (
    "displayName",
    "givenName",
    "middleName",
    "surname",
    "companyName",
    "jobTitle",
    "email1EmailAddress",
    "email2EmailAddress",
    "email3EmailAddress",
    "businessTelephoneNumber",
    "homeTelephoneNumber",
    "mobileTelephoneNumber",
    "primaryTelephoneNumber",
    "otherTelephoneNumber",
    "homeAddress",
    "workAddress",
    "otherAddress",
    "mailAddress",
    "birthday",
    "governmentIDNumber",
    "customerID",
)


def check_outlook(data: bytes, max_bytes: int) -> None:
    """Raise MessageParseError unless ``data`` can be an Outlook file within the size limit."""
    if len(data) > max_bytes:
        raise MessageParseError(
            f".msg file is {len(data)} bytes, over max_message_bytes={max_bytes}"
        )
    if not data.startswith(OLE_MAGIC):
        raise MessageParseError("not an Outlook .msg file (no OLE2 signature)")


def read_outlook(ctx: ParseContext, data: bytes, prefix: str, depth: int, *, top: bool) -> None:
    """Read .msg bytes into parts under ``prefix``; ``top`` also fills the parties."""
    import extract_msg  # heavy (olefile, compressed RTF): loaded on the first .msg

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            item = extract_msg.openMsg(BytesIO(data))
        except RecursionError:
            raise
        except Exception as error:  # extract-msg raises many types on damaged files
            ctx.note("unreadable_msg", prefix.rstrip("/"), f"cannot open: {type(error).__name__}")
            return
        try:
            read_item(ctx, item, prefix, depth, top=top)
        finally:
            item.close()


def read_item(ctx: ParseContext, item: Any, prefix: str, depth: int, *, top: bool) -> None:
    """Read one opened extract-msg item (message, contact, note...)."""
    limit = ctx.limits.max_header_chars
    if top:
        _fill_parties(ctx.message, item, limit)
        ctx.add_field("header:Subject", ctx.message.subject)
        ctx.add_field("header:Message-ID", id_text(ctx.message.message_id or ""))
        ctx.add_field("header:parties", _summary(item))
    elif summary := _summary(item):
        ctx.add_part(Part(f"{prefix}headers", "text/rfc822-headers", text=summary))
    _read_bodies(ctx, item, prefix, depth)
    for number, attachment in enumerate(_safe(item, "attachments") or [], 2):
        _read_attachment(ctx, attachment, f"{prefix}{number}", depth + 1)


def _read_bodies(ctx: ParseContext, item: Any, prefix: str, depth: int) -> None:
    """Read every body the item carries: the plain text, the HTML and the RTF body, and
    a contact's fields. Which one Outlook shows is the item's choice, and they need not
    agree. The first is the part ``<prefix>1``, the others parts inside it."""
    bodies = [
        ("text", "text/plain", _text(_safe(item, "body")).encode("utf-8")),
        ("html", "text/html", _stream(item, _HTML_BODY)),
        ("rtf", "application/rtf", _safe(item, "rtfBody")),
        ("fields", "text/plain", _contact_text(item).encode("utf-8")),
    ]
    present = [(name, ctype, data) for name, ctype, data in bodies
               if isinstance(data, bytes) and data.strip(b"\0 \r\n")]
    for number, (name, ctype, data) in enumerate(present):
        path = f"{prefix}1/{name}" if number else f"{prefix}1"
        ctx.read_leaf(Leaf(path, ctype, data, depth,
                           charset="utf-8" if ctype == "text/plain" else None))


def _stream(item: Any, name: str) -> bytes | None:
    """A binary property's stream, or None when absent or unreadable."""
    try:
        data = item.getStream(name)
    except RecursionError:
        raise
    except Exception:  # extract-msg raises many types on damaged files
        return None
    return data if isinstance(data, bytes) else None


def _read_attachment(ctx: ParseContext, attachment: Any, section: str, depth: int) -> None:
    raw_name = _text(_safe(attachment, "longFilename") or _safe(attachment, "shortFilename"))
    name = raw_name.replace("/", "_").replace("\\", "_").strip() or None
    path = ctx.named(f"{section}/attachment:", name) if name else section
    data = _safe(attachment, "data")
    if isinstance(data, bytes):
        mimetype = _text(_safe(attachment, "mimetype")) or "application/octet-stream"
        ctx.read_leaf(Leaf(path, mimetype, data, depth, filename=name, is_attachment=True))
    elif data is not None and hasattr(data, "attachments"):
        if not ctx.too_deep(depth, path):
            read_item(ctx, data, f"{path}/message/", depth, top=False)
    else:
        ctx.note("unreadable_msg_attachment", path, "attachment data cannot be read")


def _fill_parties(message: Message, item: Any, limit: int) -> None:
    sender = addresses([_text(_safe(item, "sender")).replace(";", ",")], limit)
    if not sender:
        sender = addresses([_property(item, _SENDER_EMAIL)], limit)
    message.from_ = sender
    to: list[str] = []
    cc: list[str] = []
    for recipient in _safe(item, "recipients") or []:
        kind = int(_safe(recipient, "type") or 0)
        found = addresses([_text(_safe(recipient, "email"))], limit)
        (to if kind == _TO else cc if kind == _CC else []).extend(found)
    message.to = list(dict.fromkeys(to))
    message.cc = list(dict.fromkeys(cc))
    message.message_id = first_id([_text(_safe(item, "messageId"))], limit)
    message.in_reply_to = first_id([_text(_safe(item, "inReplyTo"))], limit)
    message.subject = _text(_safe(item, "subject"))
    date = _safe(item, "date")
    message.date = str(date) if date is not None else None


def _property(item: Any, stream: str) -> str:
    """A string property by stream name, or "" when absent or unreadable."""
    try:
        return _text(item.getStringStream(stream))
    except RecursionError:
        raise
    except Exception:  # extract-msg decodes lazily and raises many types
        return ""


def _summary(item: Any) -> str:
    lines = []
    for label, name in (
        ("From", "sender"),
        ("To", "to"),
        ("Cc", "cc"),
        ("Date", "date"),
        ("Subject", "subject"),
    ):
        value = _text(_safe(item, name))
        if value:
            lines.append(f"{label}: {value}")
    return "\n".join(lines)


def _contact_text(item: Any) -> str:
    """The text fields of a contact (or other non-mail item) one per line."""
    values = (_text(_safe(item, name)) for name in _CONTACT_FIELDS)
    return "\n".join(value for value in values if value)


def _safe(item: Any, name: str) -> Any:
    """One property of an extract-msg object; a property that fails to decode is None."""
    try:
        return getattr(item, name, None)
    except RecursionError:
        raise
    except Exception:  # extract-msg decodes lazily and raises many types
        return None


def _text(value: Any) -> str:
    """A property value as clean text (Outlook strings may end in NUL)."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = fallback_decode(value)
    return str(value).replace("\x00", "").strip()


def extract_outlook(leaf: Leaf, ctx: ParseContext) -> str:
    """An attached .msg: its parts follow under ``<path>/message/``."""
    read_outlook(ctx, leaf.data, f"{leaf.path}/message/", leaf.depth + 1, top=False)
    return ""
