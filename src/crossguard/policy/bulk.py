"""The bulk-send rule's state kept in memory (one process; the store shares it across gateways)."""

from __future__ import annotations

import threading
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(slots=True)
class _Window:
    events: deque[tuple[float, str]] = field(default_factory=deque)
    live: Counter[str] = field(default_factory=Counter)


class MemoryRecipientCounter:
    """Distinct recipients per sender within a sliding window, in this process."""

    def __init__(self) -> None:
        self._windows: dict[str, _Window] = {}
        self._lock = threading.Lock()

    def record_and_count(
        self, sender: str, recipients: Sequence[str], window_seconds: int, now: float
    ) -> int:
        with self._lock:
            window = self._windows.setdefault(sender, _Window())
            while window.events and window.events[0][0] <= now - window_seconds:
                _, expired = window.events.popleft()
                window.live[expired] -= 1
                if not window.live[expired]:
                    del window.live[expired]
            for recipient in recipients:
                window.events.append((now, recipient))
                window.live[recipient] += 1
            return len(window.live)
