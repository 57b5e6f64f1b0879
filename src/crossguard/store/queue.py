"""The relay queue as an operator sees it: spool rows listed, shown, retried now (audited).

Addresses are masked in every view; bodies are never read.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from crossguard.errors import StoreError
from crossguard.store import audit
from crossguard.store.models import SpoolEntry
from crossguard.store.quarantine import masked_addresses


@dataclass(frozen=True, slots=True)
class QueuedMessage:
    """One spool row, masked."""

    id: str
    state: str
    received_at: float
    attempts: int
    next_attempt_at: float
    instance: str
    owner: str | None
    mail_from: str
    rcpts: list[str]
    failed_rcpts: list[str]
    last_error: str | None

    @classmethod
    def from_entry(cls, entry: SpoolEntry) -> QueuedMessage:
        return cls(
            id=entry.id, state=entry.state, received_at=entry.received_at,
            attempts=entry.attempts, next_attempt_at=entry.next_attempt_at,
            instance=entry.instance, owner=entry.owner,
            mail_from=masked_addresses([entry.mail_from])[0] if entry.mail_from else "<>",
            rcpts=masked_addresses(json.loads(entry.rcpts)),
            failed_rcpts=masked_addresses(json.loads(entry.failed_rcpts)),
            last_error=entry.last_error,
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class RelayQueue:
    """List, show and retry spool rows."""

    def __init__(self, sessions: sessionmaker[Session], reads: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._reads = reads

    def list(self, states: tuple[str, ...] | None = ("queued", "relaying"), limit: int = 100
             ) -> list[QueuedMessage]:
        """Rows in ``states`` (None: all), oldest first."""
        query = select(SpoolEntry).order_by(SpoolEntry.received_at).limit(limit)
        if states is not None:
            query = query.where(SpoolEntry.state.in_(states))
        with self._reads() as session:
            return [QueuedMessage.from_entry(entry) for entry in session.scalars(query)]

    def show(self, spool_id: str) -> QueuedMessage:
        """One row, or StoreError."""
        with self._reads() as session:
            entry = session.get(SpoolEntry, spool_id)
            if entry is None:
                raise StoreError(f"no queued message {spool_id}")
            return QueuedMessage.from_entry(entry)

    def retry(self, spool_id: str, *, actor: str) -> QueuedMessage:
        """Make a queued row due now (the relay worker sends it at its next look); audited."""
        with self._sessions.begin() as session:
            changed = session.execute(
                update(SpoolEntry).where(SpoolEntry.id == spool_id,
                                         SpoolEntry.state == "queued")
                .values(next_attempt_at=time.time())
            ).rowcount  # type: ignore[attr-defined]
            if changed != 1:
                entry = session.get(SpoolEntry, spool_id)
                if entry is None:
                    raise StoreError(f"no queued message {spool_id}")
                raise StoreError(f"message {spool_id} is {entry.state}, not queued")
            audit.append(session, actor, "queue.retry", {"spool_id": spool_id})
        return self.show(spool_id)
