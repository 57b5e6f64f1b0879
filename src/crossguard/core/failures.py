"""Recent failures per key (a client address, an account) within a sliding window.

Both the SMTP gateway's AUTH and the dashboard's login throttle on it.
"""

from __future__ import annotations

import time
from collections import deque


class FailureLog:
    """Recent failures per key within a sliding window; the oldest keys go past ``max_keys``."""

    def __init__(self, window_seconds: float, max_keys: int = 100_000) -> None:
        self.window = window_seconds
        self.max_keys = max_keys
        self._times: dict[str, deque[float]] = {}

    def count(self, key: str) -> int:
        """Failures of ``key`` within the window."""
        times = self._times.get(key)
        if times is None:
            return 0
        horizon = time.monotonic() - self.window
        while times and times[0] < horizon:
            times.popleft()
        if not times:
            del self._times[key]
            return 0
        return len(times)

    def add(self, key: str) -> int:
        """Record a failure of ``key``; its count within the window."""
        self._times.setdefault(key, deque()).append(time.monotonic())
        while len(self._times) > self.max_keys:
            del self._times[next(iter(self._times))]
        return self.count(key)
