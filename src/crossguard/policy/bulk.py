"""The bulk-send rule's state kept in memory (one process; the store shares it across gateways)."""

from __future__ import annotations

import threading
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass, field

from crossguard.core.peaks import PeakCache


@dataclass(slots=True)
class _Marks:
    """When each recipient was last reached, and the marks in time order for expiry."""

    events: deque[tuple[float, str]] = field(default_factory=deque)
    last: dict[str, float] = field(default_factory=dict)
    keep: float = 0.0

    def expire(self, horizon: float) -> None:
        """Forget the marks older than ``horizon``."""
        while self.events and self.events[0][0] < horizon:
            seen, recipient = self.events.popleft()
            if self.last.get(recipient) == seen:
                del self.last[recipient]


#: Keys whose marks have all expired are dropped after this many recorded messages.
SWEEP_EVERY = 10_000


class MemoryRecipientCounter:
    """Distinct recipients per sender key within a sliding window, in this process.

    Like the store's counter it keeps, per key and recipient, the last time
    the recipient was reached; marks older than the keep horizon are dropped.
    """

    def __init__(self) -> None:
        self._keys: dict[str, _Marks] = {}
        self._lock = threading.Lock()
        self._calls = 0
        self._peaks = PeakCache()

    def record_and_count(
        self, sender: str, recipients: Sequence[str], window_seconds: int, now: float,
        keep_seconds: int = 0,
    ) -> int:
        with self._lock:
            self._calls += 1
            if self._calls % SWEEP_EVERY == 0:
                self._sweep(now)
            marks = self._keys.setdefault(sender, _Marks())
            marks.keep = max(window_seconds, keep_seconds)
            horizon = now - marks.keep
            marks.expire(horizon)
            for recipient in recipients:
                if marks.last.get(recipient, now) <= now:
                    marks.last[recipient] = now
                    marks.events.append((now, recipient))
            cutoff = now - window_seconds
            if cutoff <= horizon:
                return len(marks.last)
            return sum(1 for seen in marks.last.values() if seen >= cutoff)

    def _sweep(self, now: float) -> None:
        """Drop every key whose marks have all expired (a template seen once, long ago)."""
        for key, marks in list(self._keys.items()):
            marks.expire(now - marks.keep)
            if not marks.last:
                del self._keys[key]

    def peak(self, sender: str, since: float, until: float, bucket_seconds: int) -> int:
        def find() -> int:
            marks = self._keys.get(sender)
            if marks is None:
                return 0
            buckets = Counter(
                int(seen // bucket_seconds) for seen in marks.last.values() if since <= seen < until
            )
            return max(buckets.values(), default=0)

        with self._lock:
            return self._peaks.get(sender, until, bucket_seconds, find)
