"""The bulk_send rule's counter, kept in SQL so every gateway instance shares it."""

from __future__ import annotations

import time
from collections.abc import Sequence

from sqlalchemy import Connection, text

from crossguard.core.peaks import PeakCache
from crossguard.store.batch import GroupCommitter

#: Expired marks of a sender are deleted at most this often (the count ignores them anyway).
PRUNE_SECONDS = 30.0
UPSERT = (
    "INSERT INTO bulk_send (sender, recipient, last_seen) VALUES (:sender, :recipient, :now) "
    "ON CONFLICT (sender, recipient) DO UPDATE SET last_seen = {}(bulk_send.last_seen, "
    "excluded.last_seen)"
)
UPSERT_POSTGRES = text(UPSERT.format("GREATEST"))
UPSERT_SQLITE = text(UPSERT.format("MAX"))
PRUNE = text("DELETE FROM bulk_send WHERE sender = :sender AND last_seen < :cutoff")
#: Every key's marks older than the longest horizon this process has used are deleted this
#: often (a template seen once is never counted again, so its own prune would never run).
SWEEP_SECONDS = 600.0
SWEEP = text("DELETE FROM bulk_send WHERE last_seen < :cutoff")
COUNT = text(
    "SELECT count(*) FROM bulk_send WHERE sender = :sender AND last_seen >= :cutoff"
)
PEAK = text(
    "SELECT max(n) FROM (SELECT count(*) AS n FROM bulk_send WHERE sender = :sender "
    "AND last_seen >= :since AND last_seen < :until "
    "GROUP BY CAST(last_seen / :bucket AS INTEGER)) AS buckets"
)


class SqlBulkCounter:
    """Distinct recipients per sender within a sliding window, in the store database.

    Writes go through the store's group committer: the marks of messages
    checked at the same moment share one transaction with their decisions.
    """

    def __init__(self, writer: GroupCommitter, postgres: bool) -> None:
        self._writer = writer
        self._upsert = UPSERT_POSTGRES if postgres else UPSERT_SQLITE
        self._pruned: dict[str, float] = {}
        self._peaks = PeakCache()
        self._longest = 0
        self._swept = time.monotonic()

    def record_and_count(
        self, sender: str, recipients: Sequence[str], window_seconds: int, now: float,
        keep_seconds: int = 0,
    ) -> int:
        """Record that ``sender`` reached ``recipients`` at ``now``; count distinct in window.

        Marks older than ``max(window_seconds, keep_seconds)`` are pruned.
        """
        sender = sender.lower()
        distinct = sorted({address.lower() for address in recipients})
        cutoff = now - window_seconds
        horizon = now - max(window_seconds, keep_seconds)
        self._longest = max(self._longest, window_seconds, keep_seconds)
        sweep = time.monotonic() - self._swept >= SWEEP_SECONDS
        if sweep:
            self._swept = time.monotonic()
        longest = self._longest
        prune = time.monotonic() - self._pruned.get(sender, float("-inf")) >= PRUNE_SECONDS
        if prune:
            if len(self._pruned) > 10_000:  # bounded memory: forgetting only prunes sooner
                self._pruned.clear()
            self._pruned[sender] = time.monotonic()

        def job(connection: Connection) -> int:
            if distinct:
                connection.execute(self._upsert, [
                    {"sender": sender, "recipient": r, "now": now} for r in distinct
                ])
            if prune:
                connection.execute(PRUNE, {"sender": sender, "cutoff": horizon})
            if sweep:
                connection.execute(SWEEP, {"cutoff": now - longest})
            count = connection.execute(COUNT, {"sender": sender, "cutoff": cutoff}).scalar()
            return int(count or 0)

        return self._writer.run(job)

    def peak(self, sender: str, since: float, until: float, bucket_seconds: int) -> int:
        """Most distinct recipients last reached in one bucket of [since, until)
        (remembered per bucket of ``until``: :class:`PeakCache`)."""
        params = {"sender": sender.lower(), "since": since, "until": until,
                  "bucket": float(bucket_seconds)}

        def job(connection: Connection) -> int:
            return int(connection.execute(PEAK, params).scalar() or 0)

        return self._peaks.get(sender.lower(), until, bucket_seconds,
                               lambda: self._writer.run(job))
