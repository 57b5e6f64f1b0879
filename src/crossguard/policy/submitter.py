"""Who handed a message in, so that bulk_send counts a forgery under its submitter.

The gateway sets :data:`SUBMITTER` around each check: the AUTH login, else
the client's address. bulk_send then counts per sender *and* submitter, so a
message forged in ``care@example.com``'s name by another client or account
fills its own count and cannot hold the real sender's mail. Unset (``check``,
the API, incident scans), counts are per sender. The submitter is kept as a
short digest: the counter's table holds no login or address of it.
"""

from __future__ import annotations

import hashlib
from contextvars import ContextVar

SUBMITTER: ContextVar[str | None] = ContextVar("crossguard_submitter", default=None)


def counted_sender(sender: str) -> str:
    """The bulk-send counter's key for ``sender`` under the current submitter."""
    submitter = SUBMITTER.get()
    if submitter is None:
        return sender
    digest = hashlib.sha256(submitter.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return f"{sender} via {digest}"
