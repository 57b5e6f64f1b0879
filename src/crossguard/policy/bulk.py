"""The bulk-send rule's state kept in memory (one process; the store shares it across gateways)."""

from __future__ import annotations

import threading
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass, field

from crossguard.core.peaks import PeakCache


@dataclass(slots=True)
class _Marks:
    """When each recipient was last reached, and every mark in time order: expiry reads
    them from the oldest, a count from the newest."""

    events: deque[tuple[float, str]] = field(default_factory=deque)
    last: dict[str, float] = field(default_factory=dict)
    keep: float = 0.0

    def mark(self, recipient: str, now: float) -> None:
        """``recipient`` reached at ``now`` (a later mark of it stands)."""
        previous = self.last.get(recipient)
        if previous is not None and previous >= now:
            return
        self.last[recipient] = now
        events = self.events
        # A check that took a moment longer than another's marks after it: the events
        # stay in time order, so expiry and counts can stop at the first mark out of reach.
        at = len(events)
        while at and events[at - 1][0] > now:
            at -= 1
        events.insert(at, (now, recipient))  # at the end: an append

    def count_since(self, cutoff: float) -> int:
        """Recipients last reached at or after ``cutoff``: the events read back to it only."""
        count = 0
        for seen, recipient in reversed(self.events):
            if seen < cutoff:
                break
            if self.last.get(recipient) == seen:
                count += 1
        return count

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
                marks.mark(recipient, now)
            cutoff = now - window_seconds
            if cutoff <= horizon:
                return len(marks.last)
            return marks.count_since(cutoff)

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
