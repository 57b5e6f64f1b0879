"""A per-image time budget."""

from __future__ import annotations

import time


class Deadline:
    """Seconds left of a budget that started when the object was made."""

    def __init__(self, seconds: float) -> None:
        self._end = time.monotonic() + seconds

    @property
    def remaining(self) -> float:
        return max(0.0, self._end - time.monotonic())

    @property
    def expired(self) -> bool:
        return time.monotonic() >= self._end
