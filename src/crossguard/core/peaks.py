"""A bulk-send baseline remembered per time bucket, shared by the in-memory and SQL counters."""

from __future__ import annotations

from collections.abc import Callable


class PeakCache:
    """A key's peak remembered per bucket of ``until``: the baseline moves by the bucket.

    Finding the peak reads every mark the key keeps (a busy care desk keeps
    thousands over the baseline days); remembered, they are read once a bucket
    rather than once a message. Both bulk_send counters use it
    (``policy.bulk`` and ``store.counter``), so they agree.
    """

    LIMIT = 10_000

    def __init__(self) -> None:
        self._peaks: dict[tuple[str, int], int] = {}

    def get(self, key: str, until: float, bucket_seconds: int, find: Callable[[], int]) -> int:
        """The remembered peak of ``key`` for the bucket holding ``until``, else ``find()``."""
        bucket = (key, int(until // bucket_seconds))
        if bucket in self._peaks:
            return self._peaks[bucket]
        if len(self._peaks) > self.LIMIT:  # bounded: forgetting only costs a new read
            self._peaks.clear()
        found = self._peaks[bucket] = find()
        return found
