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
from bisect import bisect_right
from dataclasses import dataclass
from email.message import Message as EmailMessage
from email.utils import getaddresses
from typing import Any

from crossguard.core.finding import Finding
from crossguard.message.context import FIELD_TYPE
from crossguard.message.headers import decode_words, unfold
from crossguard.message.model import Message, Part

ADDRESS_HEADERS = frozenset({
    "from", "to", "cc", "bcc", "reply-to", "sender", "resent-from", "resent-to", "resent-cc",
    "resent-bcc", "resent-sender", "disposition-notification-to", "return-receipt-to",
    "x-original-to", "delivered-to", "return-path", "mail-followup-to", "mail-reply-to",
})
ID_HEADERS = frozenset({"message-id", "in-reply-to", "references", "resent-message-id",
                        "content-id"})
_CANONICAL = {name.lower(): name for name in (
    "Subject", "Message-ID", "In-Reply-To", "References", "Resent-Message-ID", "From", "To",
    "Cc", "Bcc", "Reply-To", "Sender", "Comments", "Keywords", "Date", "Content-Type")}
_PLAIN_NAME = re.compile(r"[A-Za-z][A-Za-z-]{0,76}")
_DOMAIN = re.compile(r"@[^<>\s]*")
# Machine-made values that are not text anyone wrote: a MIME boundary, a signature's hashes.
_BOUNDARY = re.compile(r'(?i)(\bboundary\s*=\s*)("[^"]*"|[^;\s]*)')
_SIGNATURE = re.compile(r"(?i)(\bb[h]?\s*=\s*)([A-Za-z0-9+/=\s]*)")
# Routine values of structural fields: written by mail software, no room for an identifier.
# A value of any other shape is read like any field.
_ROUTINE = {
    "mime-version": re.compile(r"1\.0(?: \([\w .-]*\))?"),
    "content-transfer-encoding": re.compile(r"(?i)7bit|8bit|binary|quoted-printable|base64"),
    "content-type": re.compile(
        r'(?i)[a-z]+/[a-z0-9.+-]+(?:;\s*(?:charset="?[a-z0-9_-]+"?|boundary=\s*"?\s*"?|'
        r'format=\w+|delsp=\w+|reply-type=\w+))*;?'),
    "date": re.compile(
        r"(?:[A-Z][a-z]{2}, )?\d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d(?::\d\d)? "
        r"(?:[+-]\d{4}|[A-Z]{1,5})(?: \([A-Z]{1,5}\))?"),
}
_DISPLAY = re.compile(r'\s*"?([^"<>,;:()\\]*?)"?\s*<[^<>,]+>\s*')
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
        label = _CANONICAL.get(lower, name) if plain else f"#{position}"
        seen[lower] = seen.get(lower, 0) + 1
        suffix = f".{seen[lower]}" if seen[lower] > 1 else ""
        path = f"header:{label}{suffix}"
        message.fields.append(Part(path, FIELD_TYPE, text=text))
        message.field_positions[path] = position - 1
    if rest:
        message.fields.append(Part("header:more", FIELD_TYPE, text="\n".join(rest)))


def summary(entity: EmailMessage, limit: int) -> str:
    """Every header field of a nested message as ``Name: text`` lines, read as above."""
    blank = Message()
    lines = []
    for name, value in entity.items():
        lower = name.lower()
        text = _field_text(lower, value, blank, limit)
        if lower in ADDRESS_HEADERS:  # a nested message's parties are content too
            text = decode_words(unfold(value, limit))
        if text.strip():
            lines.append(f"{name}: {text}")
    return "\n".join(lines)


def _field_text(lower: str, value: Any, message: Message, limit: int) -> str:
    """The text evaluated for one field, aligned with what a verdict shows of it."""
    if lower in ADDRESS_HEADERS:
        line = unfold(value, limit)
        if "<" not in line and "(" not in line:
            return ""  # bare addresses carry no display name
        simple = _DISPLAY.fullmatch(line)
        if simple is not None:  # one "Name <address>": most From and To fields
            return decode_words(simple.group(1))
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
        text = _BOUNDARY.sub(_blank, text)
    routine = _ROUTINE.get(lower)
    if routine is not None and routine.fullmatch(text):
        return ""
    if lower in _SIGNED:
        return _SIGNATURE.sub(_blank, text)
    return text


def _blank(match: re.Match[str]) -> str:
    """Keep a parameter's name, blank its machine-made value (same length)."""
    return match.group(1) + " " * len(match.group(2))


# Ends a digit run and an address between two fields, and is wider than any detector's
# context reach (60 characters), so that a word in one field ("order" ending a Subject)
# never decides what a number in the next one is.
_SEPARATOR = "\n;" + " " * 80 + "\n"


@dataclass(frozen=True, slots=True)
class MergedFields:
    """Every field of a message as one text (one detector pass, one candidate pass).

    ``part`` (path ``fields``) holds the field texts joined by a separator that
    no identifier crosses, message-id local parts last; :meth:`locate` maps a
    finding in it back to its field. :attr:`prose` is the text before the ids,
    the part attribution reads for names and addresses: those hold no spaces.
    """

    part: Part
    starts: tuple[int, ...]
    paths: tuple[str, ...]
    prose: Part

    @classmethod
    def of(cls, fields: list[Part]) -> MergedFields:
        ids = [item for item in fields if item.path.split(".")[0] in ID_PATHS]
        ordered = [item for item in fields if item.path.split(".")[0] not in ID_PATHS] + ids
        starts, texts, at = [], [], 0
        for field_part in ordered:
            starts.append(at)
            texts.append(field_part.text)
            at += len(field_part.text) + len(_SEPARATOR)
        text = _SEPARATOR.join(texts)
        prose = text[: starts[len(ordered) - len(ids)]] if ids else text
        return cls(Part(MERGED_PATH, FIELD_TYPE, text=text), tuple(starts),
                   tuple(field_part.path for field_part in ordered),
                   Part(MERGED_PATH, FIELD_TYPE, text=prose))

    @property
    def attributable(self) -> list[Part]:
        """What attribution reads besides the findings: :attr:`prose`, when it holds a short
        number (a house number, a postcode, a date). Without one, a name is all the index
        could match there, and a name alone attributes no one."""
        return [self.prose] if _SHORT_NUMBER.search(self.prose.text) else []

    def place(self, start: int, end: int) -> tuple[str, int, int]:
        """The path of the field a span of the merged text starts in, and the span in it
        (cut at the field's end)."""
        index = bisect_right(self.starts, start) - 1
        first = self.starts[index]
        last = self.starts[index + 1] - len(_SEPARATOR) if index + 1 < len(self.starts) else len(
            self.part.text)
        return self.paths[index], start - first, min(end, last) - first

    def locate(self, finding: Finding) -> Finding:
        """The finding with the path and span of the field it lies in."""
        path, start, end = self.place(finding.start, finding.end)
        return Finding(finding.kind, path, start, end, finding.masked, finding.confidence,
                       finding.value)


_SHORT_NUMBER = re.compile(r"(?<!\d)\d{1,5}(?!\d)")
ID_PATHS = frozenset(f"header:{name}" for name in (
    "Message-ID", "In-Reply-To", "References", "Resent-Message-ID"))
"""Header fields that hold message identifiers made by mail software."""
MERGED_PATH = "fields"
"""Provenance of evidence read across the merged fields (a name, a street line)."""
