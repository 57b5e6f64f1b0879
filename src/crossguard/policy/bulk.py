"""The bulk-send rule's state kept in memory (one process; the store shares it across gateways)."""

from __future__ import annotations

import math
import threading
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass, field

from crossguard.core.peaks import PeakCache

Mark = tuple[float, str]


def _insert_in_time_order(marks: deque[Mark], mark: Mark) -> None:
    """Add ``mark`` in its place: a check that took a moment longer than another's marks
    after it, and the marks stay in time order, so readers stop at the first out of reach."""
    at = len(marks)
    while at and marks[at - 1][0] > mark[0]:
        at -= 1
    marks.insert(at, mark)  # at the end: an append


@dataclass(slots=True)
class _Marks:
    """A key's marks: when each recipient was last reached; every kept mark in time
    order (expiry reads from the oldest); and the marks within the window, with a
    running count of the recipients whose last mark they are."""

    events: deque[Mark] = field(default_factory=deque)
    window: deque[Mark] = field(default_factory=deque)
    last: dict[str, float] = field(default_factory=dict)
    cutoff: float = -math.inf
    counted: int = 0
    keep: float = 0.0

    def slide(self, cutoff: float, horizon: float) -> None:
        """Start the window at ``cutoff`` and forget the marks older than ``horizon``
        (at or before ``cutoff``)."""
        if cutoff < self.cutoff:  # an earlier clock (a slower check) or a longer window
            self._reread(cutoff)
        window, last = self.window, self.last
        while window and window[0][0] < cutoff:
            seen, recipient = window.popleft()
            if last.get(recipient) == seen:
                self.counted -= 1
        self.cutoff = cutoff
        events = self.events
        while events and events[0][0] < horizon:
            seen, recipient = events.popleft()
            if last.get(recipient) == seen:
                del last[recipient]

    def _reread(self, cutoff: float) -> None:
        """Take the window's marks afresh from the kept ones, newest back to ``cutoff``."""
        window: list[Mark] = []
        for mark in reversed(self.events):
            if mark[0] < cutoff:
                break
            window.append(mark)
        window.reverse()
        self.window = deque(window)
        self.counted = sum(1 for seen, recipient in window if self.last.get(recipient) == seen)
        self.cutoff = cutoff

    def mark(self, recipient: str, now: float) -> None:
        """``recipient`` reached at ``now``, within the window (a later mark of it stands)."""
        previous = self.last.get(recipient)
        if previous is not None and previous >= now:
            return
        self.last[recipient] = now
        _insert_in_time_order(self.events, (now, recipient))
        _insert_in_time_order(self.window, (now, recipient))
        if previous is None or previous < self.cutoff:
            self.counted += 1  # else its earlier mark in the window was counted


#: Keys whose marks have all expired are dropped after this many recorded messages.
SWEEP_EVERY = 10_000


class MemoryRecipientCounter:
    """Distinct recipients per sender key within a sliding window, in this process.

    Like the store's counter it keeps, per key and recipient, the last time
    the recipient was reached; marks older than the keep horizon are dropped.
    The count is kept as the window slides, so a message costs the same
    however many marks a busy key keeps.
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
            marks.slide(now - window_seconds, now - marks.keep)
            for recipient in recipients:
                marks.mark(recipient, now)
            return marks.counted

    def _sweep(self, now: float) -> None:
        """Drop every key whose marks have all expired (a template seen once, long ago)."""
        for key, marks in list(self._keys.items()):
            if not marks.events or marks.events[-1][0] < now - marks.keep:
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
