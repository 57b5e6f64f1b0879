"""Whether bytes are a mail message at all (RFC 5322 header fields first), before parsing.

The MIME parser reads anything (random bytes become a body with no headers),
which is right for the gateway, where whatever arrives is checked. A command
given a file expects a message: ``looks_like_message`` lets it refuse the rest.
"""

from __future__ import annotations

import re

from crossguard.message.headers import HEADER_END

#: A header field (RFC 5322 section 2.2: printable ASCII except colon, then a colon),
#: optionally after an mbox "From " separator line.
_FIRST_FIELD = re.compile(rb"\A(?:\xef\xbb\xbf)?(?:From [^\r\n]*\r?\n)?[!-9;-~]{1,76}:[^\r\n]*")
#: Bytes of the head looked at.
HEAD_BYTES = 4096


def looks_like_message(raw: bytes) -> bool:
    """True when ``raw`` starts with a header field and its head is text, not binary."""
    head = raw[:HEAD_BYTES]
    if not _FIRST_FIELD.match(head):
        return False
    header_end = HEADER_END.search(head)
    headers = head[: header_end.start()] if header_end else head
    return b"\x00" not in headers
