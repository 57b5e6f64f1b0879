"""Header fields as evaluated text: every field, display names, message-id local parts.

Each becomes a field part with its own provenance: ``header:Subject``,
``header:X-Note``, ``header:To`` (the display names only), ``header:Message-ID``
(the local parts: the domain is blanked so that an id is not an address). A
header met twice gets ``header:Received.2``; a field name that is not plain
letters and hyphens is not repeated in the path (``header:#7``) and is scanned
with the value. Texts are RFC 2047-decoded and unfolded, and keep the offsets
of the value a verdict shows (``Message.subject``, ``Message.message_id``).
"""

from __future__ import annotations

import re
from email.message import Message as EmailMessage
from email.utils import getaddresses
from typing import Any

from crossguard.message.context import FIELD_TYPE
from crossguard.message.headers import decode_words, unfold
from crossguard.message.model import Message, Part

ADDRESS_HEADERS = frozenset({
    "from", "to", "cc", "bcc", "reply-to", "sender", "resent-from", "resent-to", "resent-cc",
    "resent-bcc", "resent-sender", "disposition-notification-to", "return-receipt-to",
    "x-original-to", "delivered-to", "return-path", "mail-followup-to", "mail-reply-to",
})
ID_HEADERS = frozenset({"message-id", "in-reply-to", "references", "resent-message-id"})
_PLAIN_NAME = re.compile(r"[A-Za-z][A-Za-z-]{0,76}")
_DOMAIN = re.compile(r"@[^<>\s]*")
# Machine-made values that are not text anyone wrote: a MIME boundary, a signature's hashes.
_BOUNDARY = re.compile(r'(?i)(\bboundary\s*=\s*)("[^"]*"|[^;\s]*)')
_SIGNATURE = re.compile(r"(?i)(\bb[h]?\s*=\s*)([A-Za-z0-9+/=\s]*)")
_SIGNED = frozenset({"dkim-signature", "arc-seal", "arc-message-signature",
                     "x-google-dkim-signature"})
MAX_FIELDS = 200
"""Header fields read one by one; the rest of a longer header is read as one field."""


def id_text(value: str) -> str:
    """A message-id field's text with each ``@domain`` blanked (same length, spaces)."""
    return _DOMAIN.sub(lambda match: " " * len(match.group()), value)


def read_fields(entity: EmailMessage, message: Message, limit: int) -> None:
    """Add one field part per top-level header field (or its display names / id local parts)."""
    seen: dict[str, int] = {}
    rest: list[str] = []
    for position, (name, value) in enumerate(entity.items(), 1):
        lower = name.lower()
        text = _field_text(lower, value, message, limit)
        plain = _PLAIN_NAME.fullmatch(name) is not None
        if not plain:
            text = f"{name}\n{text}"
        if not text.strip():
            continue
        if position > MAX_FIELDS:
            rest.append(text)
            continue
        label = name if plain else f"#{position}"
        seen[lower] = seen.get(lower, 0) + 1
        suffix = f".{seen[lower]}" if seen[lower] > 1 else ""
        message.fields.append(Part(f"header:{label}{suffix}", FIELD_TYPE, text=text))
    if rest:
        message.fields.append(Part("header:more", FIELD_TYPE, text="\n".join(rest)))


def _field_text(lower: str, value: Any, message: Message, limit: int) -> str:
    """The text evaluated for one field, aligned with what a verdict shows of it."""
    if lower in ADDRESS_HEADERS:
        line = unfold(value, limit)
        if "<" not in line and "(" not in line:
            return ""  # bare addresses carry no display name
        names = (name for name, _ in getaddresses([line]))
        return "\n".join(decode_words(name) for name in names if name.strip())
    if lower == "subject" and message.subject:
        return message.subject
    if lower == "message-id" and message.message_id:
        return id_text(message.message_id)
    if lower == "in-reply-to" and message.in_reply_to:
        return id_text(message.in_reply_to)
    if lower in ID_HEADERS:
        return id_text(unfold(value, limit))
    text = decode_words(unfold(value, limit))
    if lower == "content-type":
        return _BOUNDARY.sub(_blank, text)
    if lower in _SIGNED:
        return _SIGNATURE.sub(_blank, text)
    return text


def _blank(match: re.Match[str]) -> str:
    """Keep a parameter's name, blank its machine-made value (same length)."""
    return match.group(1) + " " * len(match.group(2))
