"""The bulk_send rule's counter, kept in SQL so every gateway instance shares it."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from crossguard.store.models import BulkSendMark


class SqlBulkCounter:
    """Distinct recipients per sender within a sliding window, in the store database."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def record_and_count(
        self, sender: str, recipients: Sequence[str], window_seconds: int, now: float
    ) -> int:
        """Record that ``sender`` reached ``recipients`` at ``now``; count distinct in window."""
        sender = sender.lower()
        distinct = sorted({address.lower() for address in recipients})
        with self._sessions.begin() as session:
            if distinct:
                dialect = session.get_bind().dialect.name
                insert = pg_insert if dialect == "postgresql" else sqlite_insert
                statement = insert(BulkSendMark).values(
                    [{"sender": sender, "recipient": r, "last_seen": now} for r in distinct]
                )
                session.execute(
                    statement.on_conflict_do_update(
                        index_elements=["sender", "recipient"],
                        set_={"last_seen": func.greatest(BulkSendMark.last_seen, now)
                              if dialect == "postgresql"
                              else func.max(BulkSendMark.last_seen, now)},
                    )
                )
            cutoff = now - window_seconds
            session.execute(
                delete(BulkSendMark).where(
                    BulkSendMark.sender == sender, BulkSendMark.last_seen < cutoff
                )
            )
            count = session.scalar(
                select(func.count()).select_from(BulkSendMark).where(
                    BulkSendMark.sender == sender, BulkSendMark.last_seen >= cutoff
                )
            )
        return int(count or 0)
