"""The MIME walk: email structure to leaves with provenance paths.

Paths follow IMAP section numbers (``1``, ``1.2``); an attachment adds
``/attachment:<masked filename>`` (the raw name is the field part
``<path>/filename``); a nested message adds ``/message/`` and numbers its
own sections from 1 (``3/message/1``), with its header summary at
``3/message/headers``.
"""

from __future__ import annotations

import re
from email.message import Message as EmailMessage
from email.parser import BytesParser
from email.utils import collapse_rfc2231_value, unquote
from io import StringIO
from typing import Any

from crossguard.message.charset import unescape_surrogates
from crossguard.message.context import Leaf, ParseContext
from crossguard.message.fields import summary
from crossguard.message.headers import (
    HEADER_END,
    RAW_POLICY,
    cut_fields,
    decode_words,
    unfold,
)
from crossguard.message.model import Part
from crossguard.message.transfer import IDENTITY, decode_transfer

_HEADERS_TYPE = "text/rfc822-headers"
#: A header field's first line: a name of printable characters other than ":", then ":".
_FIELD_START = re.compile(r"[\x21-\x39\x3b-\x7e]+:")
#: A header block that may declare a multipart or message type.
_NESTING = re.compile(rb"multipart/|message/", re.IGNORECASE)
_MAX_FILENAME = 255
#: What the stdlib's email package raises reading a malformed parameter or charset
#: (``charset*`` beside ``charset*0*`` fails its RFC 2231 sort; an unknown codec name).
EMAIL_READ_ERRORS = (ValueError, LookupError, TypeError)


def parse_bytes(raw: bytes) -> EmailMessage:
    """Bytes as an email tree with raw header strings; RecursionError on hopeless nesting."""
    single = _single_part(raw)
    return single if single is not None else BytesParser(policy=RAW_POLICY).parsebytes(raw)


def _single_part(raw: bytes) -> EmailMessage | None:
    """``raw`` as the parser reads it, when it is one part with plain header fields (most
    mail); else None.

    The parser reads a single part's body line by line only to join the lines
    again as its payload, and runs a generator, a line buffer and a policy call
    per line for the header block. Here the block, up to the first blank line,
    is split into fields as the parser splits them, and the rest is set as the
    payload. Taken only when every line of the block is a field's first line or
    a continuation of one, and the block names no multipart or message type (the
    parser's type is the lower-cased text before "/").
    """
    blank = HEADER_END.search(raw)
    if blank is None or _NESTING.search(raw, 0, blank.end()):
        return None
    text = raw.decode("ascii", "surrogateescape")  # as BytesParser reads bytes
    fields = _plain_fields(text[:blank.end()])
    if fields is None:
        return None
    entity = EmailMessage(policy=RAW_POLICY)
    for name, value in fields:
        entity.set_raw(name, value)
    entity.set_payload(text[blank.end():])
    return entity


def _plain_fields(head: str) -> list[tuple[str, str]] | None:
    """The (name, raw value) fields of ``head``, a header block ending with its blank
    line, as the parser reads them; None when a line is neither a field's first line
    nor a continuation of one (the parser notes a defect or an envelope line there)."""
    sources: list[list[str]] = []
    for line in StringIO(head, newline="").readlines()[:-1]:  # the parser's own lines
        if line[0] in " \t" and sources:
            sources[-1].append(line)
        elif _FIELD_START.match(line):  # not "From " (an envelope line): no space in a name
            sources.append([line])
        else:
            return None
    return [RAW_POLICY.header_source_parse(lines) for lines in sources]


def parse_entity(ctx: ParseContext, raw: bytes, path: str) -> EmailMessage:
    """Parse bytes into an email tree with raw header strings; what the parser cannot
    take (hopeless nesting, a boundary parameter it fails to read) is noted and read as
    one text part."""
    try:
        return parse_bytes(raw)
    except RecursionError:
        ctx.note("limit_depth", path, "MIME nesting too deep to parse; read as one text part")
    except EMAIL_READ_ERRORS as error:
        ctx.note("mime_defect", path, f"MIME parameters the parser cannot read "
                                      f"({type(error).__name__}); read as one text part")
    return _one_text_part(raw)


def _one_text_part(raw: bytes) -> EmailMessage:
    """``raw``'s header block over its whole body, typed as one text part."""
    entity = BytesParser(policy=RAW_POLICY).parsebytes(raw, headersonly=True)
    try:
        entity.set_type("text/plain")  # keeps the other parameters (a charset)
    except EMAIL_READ_ERRORS:  # parameters the stdlib cannot read: dropped
        entity.replace_header("content-type", "text/plain")
    return entity


def read_nested(ctx: ParseContext, raw: bytes, prefix: str, depth: int) -> None:
    """Read a nested message given as bytes (an attached .eml, a zip member)."""
    entity = parse_entity(ctx, raw, prefix)
    add_summary(ctx, entity, prefix)
    walk(ctx, entity, prefix, "", depth)


def add_summary(ctx: ParseContext, entity: EmailMessage, prefix: str) -> None:
    """Add a nested message's header fields as a text part ``<prefix>headers``."""
    text = summary(entity, ctx.limits.max_header_chars)
    if text:
        ctx.add_part(Part(f"{prefix}headers", _HEADERS_TYPE, data=b"", text=text))
    note_cut_fields(ctx, entity, f"{prefix}headers")


def note_cut_fields(ctx: ParseContext, entity: EmailMessage, path: str) -> None:
    """Note each header field of ``entity`` read cut at ``max_header_chars``."""
    limit = ctx.limits.max_header_chars
    for _name in cut_fields(entity, limit):  # a name can hold an identifier: not told
        ctx.note("limit_header", path, f"a header field is over {limit} characters; cut")


def walk(ctx: ParseContext, entity: EmailMessage, prefix: str, section: str, depth: int) -> None:
    """Walk one entity: recurse into multiparts and messages, hand leaves to extraction."""
    path = f"{prefix}{section or '1'}"
    if ctx.too_deep(depth, path):
        return
    for defect in entity.defects:
        ctx.note("mime_defect", path, type(defect).__name__)
    if section:  # a body part's own fields (a message's are read as its header fields)
        ctx.add_field(f"{path}/headers", summary(entity, ctx.limits.max_header_chars))
    # Only a multipart's payload is read here: for a leaf, get_payload() would decode
    # the body with its declared charset and raise on a charset name holding raw bytes.
    payload = entity.get_payload() if entity.is_multipart() else None
    if isinstance(payload, list):
        ctype = entity.get_content_type()
        around = f"{path}/" if section else prefix
        for name, text in (("preamble", entity.preamble), ("epilogue", entity.epilogue)):
            if text:  # around the parts: mail clients that read no MIME show it
                ctx.add_field(f"{around}{name}", text)
        if (
            ctype.startswith("message/")
            and len(payload) == 1
            and ctype != "message/delivery-status"
        ):
            nested = f"{prefix}{section or '1'}/message/"
            child = payload[0]
            if not isinstance(child, EmailMessage):
                return
            encoding = _encoding(entity, ctx.limits.max_header_chars)
            if encoding not in IDENTITY:
                data = _decoded(ctx, _entity_bytes(child), encoding, path)
                read_nested(ctx, data, nested, depth + 1)
                return
            add_summary(ctx, child, nested)
            walk(ctx, child, nested, "", depth + 1)
            return
        if ctype == "multipart/encrypted":
            ctx.note("encrypted_content", path, "encrypted content cannot be read")
            return
        for number, child in enumerate(payload, 1):
            if isinstance(child, EmailMessage):
                walk(
                    ctx, child, prefix, f"{section}.{number}" if section else str(number), depth + 1
                )
        return
    read_leaf_entity(ctx, entity, prefix, section or "1", depth)


def read_leaf_entity(
    ctx: ParseContext, entity: EmailMessage, prefix: str, section: str, depth: int
) -> None:
    """Decode one leaf entity's body and pass it on for extraction."""
    if not ctx.has_room(f"{prefix}{section}"):
        return
    limit = ctx.limits.max_header_chars
    content_type = str(entity.get("content-type", "")).lower()
    named = "name" in content_type or "name" in str(entity.get("content-disposition", "")).lower()
    # Parameters are parsed again on every lookup (~6 us each): skip the lookups of
    # parameters that the fields do not name at all (most body parts have no file name).
    filename = _filename(entity, limit) if named else None
    other = _type_name(entity, limit) if named else None
    disposition = (entity.get_content_disposition() or "").lower()
    is_attachment = disposition == "attachment" or (
        filename is not None and disposition != "inline"
    )
    path = f"{prefix}{section}"
    if filename is not None:
        path = ctx.named(f"{path}/attachment:", filename, other or "")
    data = _decoded(ctx, _payload_bytes(entity), _encoding(entity, limit), path)
    charset = _charset(entity) if "charset" in content_type else None
    ctx.read_leaf(
        Leaf(
            path=path,
            content_type=entity.get_content_type(),
            data=data,
            depth=depth,
            filename=filename,
            charset=charset,
            is_attachment=is_attachment,
        )
    )


def _decoded(ctx: ParseContext, payload: bytes, encoding: str, path: str) -> bytes:
    """``payload`` with its transfer encoding undone, problems noted at ``path``.

    Bad base64 or uuencode is decoded leniently, as mail clients do; the source text the
    decoding dropped is read too, as the field ``<path>/raw``.
    """
    data, unread = decode_transfer(payload, encoding,
                                   lambda kind, reason: ctx.note(kind, path, reason))
    if unread:
        ctx.add_field(f"{path}/raw", unread.decode("utf-8", "replace"))
    return data


def _charset(entity: EmailMessage) -> str | None:
    """The charset parameter as ``collapse_rfc2231_value(entity.get_param("charset"))`` reads
    it (None when empty or unreadable). A Content-Type with no backslash, no RFC 2231 star
    and no ";" inside quotes is split here as the stdlib splits it (its parameter parser
    costs ~10 us a call)."""
    value = entity.get("content-type")
    text = str(value) if isinstance(value, str) else ""
    pieces = text.split(";")
    if not isinstance(value, str) or "\\" in text or "*" in text or any(
            piece.count('"') % 2 for piece in pieces):
        try:
            found = entity.get_param("charset")
            return collapse_rfc2231_value(found) if found else None
        except EMAIL_READ_ERRORS:
            return None
    for piece in pieces:
        name, _, raw = piece.partition("=")
        if name.strip().lower() == "charset":
            found = unquote(raw.strip())
            return unquote(found) if found else None
    return None


def _filename(entity: EmailMessage, limit: int) -> str | None:
    """The decoded file name of a part (RFC 2231 or RFC 2047), path separators replaced."""
    try:
        name = entity.get_filename()
    except EMAIL_READ_ERRORS:
        return None
    if not name:
        return None
    text = decode_words(unescape_surrogates(unfold(name, limit)))[:_MAX_FILENAME]
    return text.replace("/", "_").replace("\\", "_").strip() or None


def _type_name(entity: EmailMessage, limit: int) -> str | None:
    """The Content-Type ``name`` parameter (RFC 2231 / 2047 decoded), read besides ``filename``."""
    try:
        value = entity.get_param("name")
        if not value:
            return None
        name = collapse_rfc2231_value(value) if isinstance(value, tuple) else str(value)
    except EMAIL_READ_ERRORS:
        return None
    return decode_words(unescape_surrogates(unfold(name, limit)))[:_MAX_FILENAME] or None


def _encoding(entity: EmailMessage, limit: int) -> str:
    """The Content-Transfer-Encoding, lower-cased ("" when absent)."""
    value = entity.get("content-transfer-encoding")
    return unfold(value, limit).strip("\"' ").lower() if value is not None else ""


def _entity_bytes(entity: EmailMessage) -> bytes:
    """An entity's raw header lines and body, as the transfer encoding left them."""
    head = "".join(f"{name}: {value}\n" for name, value in entity.items())
    head_bytes = head.encode("utf-8", "surrogateescape") + b"\n" if head else b""
    return head_bytes + _payload_bytes(entity)


def _payload_bytes(entity: EmailMessage) -> bytes:
    """The undecoded body as bytes, 8-bit bytes restored from surrogate escapes.

    ``get_payload()`` replaces 8-bit bytes with U+FFFD and ``get_payload(decode=True)``
    decodes silently, so the stored payload is read directly.
    """
    payload: Any = entity._payload  # type: ignore[attr-defined]
    if isinstance(payload, bytes):
        return payload
    if payload is None:
        return b""
    text = str(payload)
    try:
        return text.encode("ascii", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape")
