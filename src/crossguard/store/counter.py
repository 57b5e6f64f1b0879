"""The bulk_send rule's counter, kept in SQL so every gateway instance shares it."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import cast

from sqlalchemy import Connection, Table, delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from crossguard.store.batch import GroupCommitter
from crossguard.store.models import BulkSendMark

#: Expired marks of a sender are deleted at most this often (the count ignores them anyway).
PRUNE_SECONDS = 30.0
MARKS = cast(Table, BulkSendMark.__table__)


class SqlBulkCounter:
    """Distinct recipients per sender within a sliding window, in the store database.

    Writes go through the store's group committer: the marks of messages
    checked at the same moment share one transaction with their decisions.
    """

    def __init__(self, writer: GroupCommitter, postgres: bool) -> None:
        self._writer = writer
        self._insert = pg_insert if postgres else sqlite_insert
        self._greatest = func.greatest if postgres else func.max
        self._pruned: dict[str, float] = {}

    def record_and_count(
        self, sender: str, recipients: Sequence[str], window_seconds: int, now: float
    ) -> int:
        """Record that ``sender`` reached ``recipients`` at ``now``; count distinct in window."""
        sender = sender.lower()
        distinct = sorted({address.lower() for address in recipients})
        cutoff = now - window_seconds
        prune = time.monotonic() - self._pruned.get(sender, float("-inf")) >= PRUNE_SECONDS
        if prune:
            if len(self._pruned) > 10_000:  # bounded memory: forgetting only prunes sooner
                self._pruned.clear()
            self._pruned[sender] = time.monotonic()

        def job(connection: Connection) -> int:
            if distinct:
                statement = self._insert(MARKS).values(
                    [{"sender": sender, "recipient": r, "last_seen": now} for r in distinct]
                )
                connection.execute(statement.on_conflict_do_update(
                    index_elements=["sender", "recipient"],
                    set_={"last_seen": self._greatest(MARKS.c.last_seen, now)},
                ))
            if prune:
                connection.execute(delete(MARKS).where(
                    MARKS.c.sender == sender, MARKS.c.last_seen < cutoff
                ))
            count = connection.scalar(
                select(func.count()).select_from(MARKS).where(
                    MARKS.c.sender == sender, MARKS.c.last_seen >= cutoff
                )
            )
            return int(count or 0)

        return self._writer.run(job)
