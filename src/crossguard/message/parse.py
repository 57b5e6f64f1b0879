"""Entry points: raw MIME bytes or an Outlook .msg file to a Message."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from email.message import Message as EmailMessage

from crossguard.core.mask import mask_words
from crossguard.errors import MessageParseError
from crossguard.message import dispatch, mime
from crossguard.message.context import ParseContext
from crossguard.message.fields import read_fields
from crossguard.message.headers import read_parties
from crossguard.message.model import Message
from crossguard.message.outlook import check_outlook, read_outlook
from crossguard.message.settings import ImageSettings, ParseLimits


def parse_message(
    raw: bytes,
    limits: ParseLimits,
    *,
    envelope_from: str | None = None,
    envelope_rcpts: Sequence[str] = (),
    images: ImageSettings | None = None,
    mask_name: Callable[[str], str] = mask_words,
    entity: EmailMessage | None = None,
) -> Message:
    """Parse raw message bytes; problems become parse notes on the Message.

    ``mask_name`` renders a file name for a part path (the Guard masks the
    identifiers its detectors find; the default masks every word with a digit).
    ``entity`` is ``raw`` already parsed by :func:`mime.parse_bytes` (a caller
    that read its headers first), so it is not parsed twice.
    Raises MessageParseError only for input that cannot be a message at all:
    not bytes, empty, or over ``max_message_bytes``.
    """
    if not isinstance(raw, bytes | bytearray | memoryview):
        raise MessageParseError(f"a message must be bytes, not {type(raw).__name__}")
    raw = bytes(raw)
    if not raw.strip():
        raise MessageParseError("empty message")
    if len(raw) > limits.max_message_bytes:
        raise MessageParseError(
            f"message is {len(raw)} bytes, over max_message_bytes={limits.max_message_bytes}"
        )
    message = _new_message(len(raw), envelope_from, envelope_rcpts)
    ctx = ParseContext(message, limits, images, dispatch.read_leaf, mime.read_nested, mask_name)
    entity = entity if entity is not None else mime.parse_entity(ctx, raw, "")
    if not entity.keys():
        ctx.note("no_headers", "", "no header fields; the whole input is read as the body")
    read_parties(entity, message, limits.max_header_chars)
    read_fields(entity, message, limits.max_header_chars)
    mime.note_cut_fields(ctx, entity, "")
    try:
        mime.walk(ctx, entity, "", "", 0)
    except RecursionError:
        ctx.note("limit_depth", "", "nesting too deep for the parser; the rest is not read")
    return message


def parse_outlook_msg(
    data: bytes,
    limits: ParseLimits,
    *,
    envelope_from: str | None = None,
    envelope_rcpts: Sequence[str] = (),
    images: ImageSettings | None = None,
    mask_name: Callable[[str], str] = mask_words,
) -> Message:
    """Parse an Outlook .msg file; raises MessageParseError if it is not one at all."""
    check_outlook(data, limits.max_message_bytes)
    message = _new_message(len(data), envelope_from, envelope_rcpts)
    ctx = ParseContext(message, limits, images, dispatch.read_leaf, mime.read_nested, mask_name)
    try:
        read_outlook(ctx, data, "", 0, top=True)
    except RecursionError:
        ctx.note("limit_depth", "", "nesting too deep for the parser; the rest is not read")
    return message


def _new_message(size: int, envelope_from: str | None, envelope_rcpts: Sequence[str]) -> Message:
    return Message(
        envelope_from=envelope_from.lower() if envelope_from else envelope_from,
        envelope_rcpts=[rcpt.lower() for rcpt in envelope_rcpts],
        size=size,
    )
