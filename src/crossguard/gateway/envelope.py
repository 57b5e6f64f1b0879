"""Envelope addresses the gateway will carry: refused at MAIL/RCPT, and again before relaying.

An address with a control character (NUL, a bare CR or LF, any C0 or C1
control, DEL) or bytes that are not UTF-8 cannot be written into an SMTP
command to the next hop: it is answered ``553`` at MAIL or RCPT, so it never
reaches the spool. Rows spooled before this check, or written by another
path, are checked again by the relay worker, which fails such recipients.
"""

from __future__ import annotations

import unicodedata

#: Unicode categories refused in an address: controls, and surrogates (undecodable bytes).
REFUSED_CATEGORIES = frozenset({"Cc", "Cs"})


def carriable(address: str) -> bool:
    """True when ``address`` can be sent in a MAIL or RCPT command as it is."""
    return not any(unicodedata.category(char) in REFUSED_CATEGORIES for char in address)
