"""Quarantine retention: after ``store.quarantine_days`` no message body is kept.

A purge empties the body of every quarantine entry older than the cutoff
(held entries become ``expired``; released and discarded ones keep their
state) and of every finished spool row (delivered, failed, rejected, held)
that still holds bytes, and writes one audit entry naming the quarantine ids
it expired, in the same transaction. Rows stay (the audit trail refers to
them); only the bytes go. Messages still queued for relay are left alone.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from crossguard.store import audit
from crossguard.store.models import QuarantineEntry, SpoolEntry

DAY = 86_400.0
FINISHED = ("delivered", "failed", "rejected", "held")


@dataclass(frozen=True, slots=True)
class Purged:
    """What one purge emptied."""

    expired: list[str]
    bodies: int
    spool_bodies: int


def purge(sessions: sessionmaker[Session], days: float, *, actor: str,
          now: float | None = None) -> Purged:
    """Empty every body older than ``days``; audited as ``quarantine.purge`` when any went."""
    cutoff = (now if now is not None else time.time()) - days * DAY
    with sessions.begin() as session:
        old = QuarantineEntry.created_at < cutoff
        expired = list(session.scalars(
            select(QuarantineEntry.id).where(old, QuarantineEntry.state == "held")))
        bodies = session.execute(
            update(QuarantineEntry).where(old, QuarantineEntry.body != b"")
            .values(body=b"")).rowcount  # type: ignore[attr-defined]
        if expired:
            session.execute(update(QuarantineEntry).where(QuarantineEntry.id.in_(expired))
                            .values(state="expired", decided_at=time.time(), decided_by=actor,
                                    reason=f"retention: older than {days:g} days"))
        spool_bodies = session.execute(
            update(SpoolEntry).where(SpoolEntry.received_at < cutoff,
                                     SpoolEntry.state.in_(FINISHED),
                                     SpoolEntry.body.is_not(None))
            .values(body=None)).rowcount  # type: ignore[attr-defined]
        result = Purged(expired, int(bodies), int(spool_bodies))
        if bodies or spool_bodies or expired:
            audit.append(session, actor, "quarantine.purge", {
                "days": days, "expired": expired, "bodies": result.bodies,
                "spool_bodies": result.spool_bodies,
            })
    return result
