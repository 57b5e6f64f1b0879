"""Bounded work per client: open connections per client address and in total."""

from __future__ import annotations

from collections import Counter
from typing import Any

#: The reply to a connection over either limit (RFC 5321 4.3.2: 421 closes the channel).
TOO_MANY = b"421 4.7.0 too many connections, try again later\r\n"


def peer_host(peer: Any) -> str:
    """The address part of a peername (``("1.2.3.4", 5678)`` -> ``"1.2.3.4"``)."""
    return str(peer[0]) if isinstance(peer, tuple) and peer else str(peer)


class ConnectionLimits:
    """Counts open SMTP connections, in total and per client address (one event loop)."""

    def __init__(self, total: int, per_client: int) -> None:
        self.total = total
        self.per_client = per_client
        self._open: Counter[str] = Counter()

    def admit(self, client: str) -> bool:
        """Count a new connection from ``client``; False (not counted) over either limit."""
        if self._open.total() >= self.total or self._open[client] >= self.per_client:
            return False
        self._open[client] += 1
        return True

    def release(self, client: str) -> None:
        """A counted connection closed."""
        self._open[client] -= 1
        if self._open[client] <= 0:
            del self._open[client]
