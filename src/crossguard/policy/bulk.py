"""The bulk-send rule's state kept in memory (one process; the store shares it across gateways)."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Sequence


class MemoryRecipientCounter:
    """Distinct recipients per sender within a sliding window, in this process."""

    def __init__(self) -> None:
        self._seen: dict[str, deque[tuple[float, str]]] = {}
        self._lock = threading.Lock()

    def record_and_count(
        self, sender: str, recipients: Sequence[str], window_seconds: int, now: float
    ) -> int:
        with self._lock:
            events = self._seen.setdefault(sender, deque())
            while events and events[0][0] <= now - window_seconds:
                events.popleft()
            events.extend((now, recipient) for recipient in recipients)
            return len({recipient for _, recipient in events})
