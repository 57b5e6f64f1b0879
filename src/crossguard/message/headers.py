"""Only the header fields crossguard reads, decoded by hand from compat32's raw strings.

``email.policy.default`` parses every header through ``headerregistry``; most of
that time goes to fields nobody reads (see PERFORMANCE.md). Here the structure
is parsed with a compat32 policy that hands back raw strings, and only parties,
ids, subject and date are decoded (RFC 2047 words, 8-bit bytes).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from email.errors import HeaderParseError
from email.header import decode_header
from email.message import Message as EmailMessage
from email.policy import Compat32
from email.utils import getaddresses
from typing import Any

from crossguard.message.charset import decode_text, unescape_surrogates
from crossguard.message.model import Message

#: The blank line that ends a header block of CR LF or LF lines (the first one after a line).
HEADER_END = re.compile(rb"\r?\n\r?\n")
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_MSG_ID = re.compile(r"<[^<>\s]+>")
_QUOTED = re.compile(r'"[^"\\,<>]*"')
_NOT_SIMPLE = re.compile(r'["()\\:;\[\]]')
_ANGLE = re.compile(r"[^<>@]*<([^<>\s]+)>")
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_DOT_ATOM_ADDRESS = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@{_ATOM}(?:\.{_ATOM})*")
_MAX_REFERENCES = 100
#: Headers that name a stored message's recipients (an archive copy has no SMTP envelope).
RECIPIENT_HEADERS = ("to", "cc", "bcc", "x-original-to", "delivered-to")
_READ = (
    "from",
    "to",
    "cc",
    "reply-to",
    "sender",
    "message-id",
    "in-reply-to",
    "references",
    "subject",
    "date",
)


class RawHeaderPolicy(Compat32):
    """compat32, but header values come back as the raw strings (no Header objects)."""

    def header_fetch_parse(self, name: str, value: str) -> str:
        return value


RAW_POLICY = RawHeaderPolicy()


def unfold(value: Any, limit: int) -> str:
    """One header value as a single line of real text, cut at ``limit`` characters."""
    text = (value if isinstance(value, str) else str(value))[:limit]
    if "\n" in text:  # folded
        text = _FOLD.sub("", text)
    return unescape_surrogates(text).replace("\r", "").replace("\n", " ").strip()


def decode_words(text: str) -> str:
    """Decode RFC 2047 encoded words; text without them is returned unchanged."""
    if "=?" not in text:
        return text
    try:
        chunks = decode_header(text)
    except (HeaderParseError, ValueError, LookupError):
        return text
    out: list[str] = []
    for chunk, charset in chunks:
        if isinstance(chunk, str):
            out.append(chunk)
        else:
            out.append(decode_text(chunk, charset, lambda kind, reason: None))
    return "".join(out)


def addresses(values: list[Any], limit: int) -> list[str]:
    """Lower-cased bare addresses from address header values, in order, without repeats.

    Entries without an ``@`` (a bare local name, a group label) are not addresses
    anyone outside could receive mail at, and are left out.
    """
    found: dict[str, None] = {}
    texts = [unfold(value, limit) for value in values]
    simple = [_simple_addresses(text) for text in texts]
    if all(result is not None for result in simple):
        pairs = [("", address) for result in simple for address in result or ()]
    else:
        pairs = getaddresses(texts)
    for _name, address in pairs:
        if "=?" in address:
            address = decode_words(address)
        address = address.strip().strip("<>").strip().lower()
        if "@" in address and len(address.split()) == 1:  # no white space inside
            found[address] = None
    return list(found)


def header_addresses(entity: EmailMessage, names: Iterable[str], limit: int) -> list[str]:
    """Bare lower-cased addresses from the ``names`` headers of ``entity``, without repeats."""
    return addresses([value for name in names for value in entity.get_all(name) or []], limit)


def _simple_addresses(text: str) -> list[str] | None:
    """The addresses of a plain address list, or None when it needs the full RFC 5322 parser.

    Plain means: comma-separated ``addr``, ``<addr>`` or ``Name <addr>`` items with
    dot-atom ASCII addresses, display names quoted only without commas (a quoted
    string elsewhere is a local part: ``"a b"@x.test``), and no comments, groups or
    escapes. Mail clients write nearly every header this way; getaddresses costs
    ~100 us a header.
    """
    if _NOT_SIMPLE.search(_QUOTED.sub("", text) if '"' in text else text):
        return None
    out: list[str] = []
    for item in text.split(","):  # a quoted string left holds no comma
        item = item.strip()
        if not item:
            continue
        if "<" in item or ">" in item:
            match = _ANGLE.fullmatch(item)
            if match is None:
                return None
            item = match.group(1)
        if not _DOT_ATOM_ADDRESS.fullmatch(item):
            return None
        out.append(item)
    return out


def read_parties(entity: EmailMessage, message: Message, limit: int) -> None:
    """Fill the Message's parties, ids, subject and date from the top-level headers."""
    read: dict[str, list[Any]] = {name: [] for name in _READ}
    for name, value in entity.items():
        bucket = read.get(name.lower())
        if bucket is not None:
            bucket.append(value)
    message.from_ = addresses(read["from"], limit)
    message.to = addresses(read["to"], limit)
    message.cc = addresses(read["cc"], limit)
    message.reply_to = addresses(read["reply-to"], limit)
    message.sender = addresses(read["sender"], limit)
    message.message_id = first_id(read["message-id"], limit)
    message.in_reply_to = first_id(read["in-reply-to"], limit)
    if read["references"]:
        message.references = _MSG_ID.findall(unfold(read["references"][0], limit))
        del message.references[:-_MAX_REFERENCES]
    if read["subject"]:
        message.subject = decode_words(unfold(read["subject"][0], limit))
    if read["date"]:
        message.date = unfold(read["date"][0], limit) or None


def cut_fields(entity: EmailMessage, limit: int) -> list[str]:
    """The names of ``entity``'s header fields longer than ``limit`` characters, which are
    read cut: what lies past the limit goes unread."""
    return [name for name, value in entity.items() if len(str(value)) > limit]


def first_id(values: list[Any], limit: int) -> str | None:
    """The first ``<id>`` of a Message-ID style field, else its stripped text."""
    if not values:
        return None
    text = unfold(values[0], limit)
    match = _MSG_ID.search(text)
    if match:
        return match.group(0)
    return text or None
