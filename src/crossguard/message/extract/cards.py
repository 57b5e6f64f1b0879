"""vCard (RFC 6350, 2.1 too) and iCalendar (RFC 5545) as readable text.

Lines are unfolded, property names and parameters dropped, escapes undone
and quoted-printable values decoded; a structured name (``N:Family;Given``)
reads as ``Given Family`` and an address (``ADR``) as one line, so names,
phones and addresses read as they would in a letter. Inline binary values
(``PHOTO``, ``ATTACH``) are left out.
"""

from __future__ import annotations

import quopri
import re

from crossguard.message.charset import decode_text
from crossguard.message.context import Leaf, ParseContext

_FOLD = re.compile(r"\r?\n[ \t]")
_ESCAPE = re.compile(r"\\([\\;,nN])")
_BINARY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY", "ATTACH"})
_SKIP = frozenset({"BEGIN", "END", "VERSION", "PRODID", "UID", "REV", "CALSCALE", "METHOD"})


def is_card(text: str) -> bool:
    """True for text that starts as a vCard or an iCalendar object."""
    head = text.lstrip("\ufeff \r\n")[:16].upper()
    return head.startswith(("BEGIN:VCARD", "BEGIN:VCALENDAR"))


def extract_card(leaf: Leaf, ctx: ParseContext) -> str:
    """One line of readable text per property."""
    text = decode_text(
        leaf.data, leaf.charset, lambda kind, reason: ctx.note(kind, leaf.path, reason)
    )
    return card_text(text)


def card_text(text: str) -> str:
    """The values of a vCard / iCalendar text, one property a line."""
    lines = []
    for line in _FOLD.sub("", text).splitlines():
        head, colon, value = line.partition(":")
        if not colon:
            continue
        name, *params = head.split(";")
        name = name.rsplit(".", 1)[-1].upper()  # "item1.TEL" -> "TEL"
        upper = [param.upper() for param in params]
        if name in _SKIP or name in _BINARY or "ENCODING=B" in upper or "ENCODING=BASE64" in upper:
            continue
        if "ENCODING=QUOTED-PRINTABLE" in upper or "QUOTED-PRINTABLE" in upper:
            raw = quopri.decodestring(value.encode("latin-1", "replace"))
            value = raw.decode("utf-8", "replace")
        fields = [_ESCAPE.sub(_unescape, item) for item in re.split(r"(?<!\\);", value)]
        if name == "N":  # family; given; additional; prefix; suffix
            fields = [*fields[3:4], *fields[1:3], *fields[:1], *fields[4:5]]
        shown = " ".join(item.strip() for item in fields if item.strip())
        if shown:
            lines.append(f"{name.lower()} {shown}")
    return "\n".join(lines)


def _unescape(match: re.Match[str]) -> str:
    char = match.group(1)
    return "\n" if char in "nN" else char
