"""Forgetting: drop an item's upload and reading, and make SQLite overwrite what it freed.

On SQLite the purge runs with ``secure_delete`` on (freed pages are zeroed) and
is followed by a ``TRUNCATE`` checkpoint, so neither the database file nor its
WAL keeps the ciphertext. PostgreSQL keeps dead row versions until VACUUM: the
ciphertext is unreadable without the key, and autovacuum removes it.
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy import Connection, Engine, select
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from crossguard.store import audit
from crossguard.verify.base import VerifyContext
from crossguard.verify.models import EXPIRED, PENDING, RECEIVED, VerifyItem

SECURE_DELETE = sql("PRAGMA secure_delete = ON")


def secure(session: Session | Connection) -> None:
    """Zero freed pages in this transaction (SQLite; a no-op elsewhere)."""
    bind = session.get_bind() if isinstance(session, Session) else session
    if bind.dialect.name == "sqlite":
        session.execute(SECURE_DELETE)


def purge(session: Session, row: VerifyItem, *, actor: str, why: str) -> None:
    """Drop the upload and what was read from it, audited, in the caller's transaction."""
    row.upload = None
    row.reading = None
    row.purged_at = time.time()
    audit.append(session, actor, "verify.purge", {"item_id": row.id, "why": why})


def checkpoint(engine: Engine) -> None:
    """Fold the WAL into the database and truncate it (SQLite only)."""
    if engine.dialect.name != "sqlite":
        return
    raw = engine.raw_connection()
    try:
        raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()


def sweep(ctx: VerifyContext, now: float | None = None, *, actor: str = "verify:sweep"
          ) -> dict[str, int]:
    """Expire unused links past their expiry; purge uploads older than ``retention_days``."""
    now = time.time() if now is None else now
    cutoff = now - ctx.settings.retention_days * 86_400.0
    with ctx.reads() as session:
        due = session.scalar(select(VerifyItem.id).where(
            ((VerifyItem.state == PENDING) & (VerifyItem.expires_at <= now))
            | ((VerifyItem.state == RECEIVED) & (VerifyItem.uploaded_at <= cutoff))).limit(1))
    if due is None:
        return {"expired": 0, "purged": 0}
    expired = purged = 0
    with ctx.sessions.begin() as session:
        secure(session)
        for row in session.scalars(select(VerifyItem).where(
                VerifyItem.state == PENDING, VerifyItem.expires_at <= now)):
            row.state = EXPIRED
            expired += 1
        for row in session.scalars(select(VerifyItem).where(
                VerifyItem.state == RECEIVED, VerifyItem.uploaded_at <= cutoff)):
            row.state, row.reason = EXPIRED, "not decided within the retention period"
            purge(session, row, actor=actor, why="retention")
            purged += 1
        if expired:
            audit.append(session, actor, "verify.links_expired", {"items": expired})
    if purged:
        checkpoint(ctx.engine)
    return {"expired": expired, "purged": purged}


class Sweeper:
    """Run :func:`sweep` every ``interval`` seconds on a daemon thread until stopped."""

    def __init__(self, ctx: VerifyContext, interval: float) -> None:
        self._ctx = ctx
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cg-verify-sweep", daemon=True)

    def start(self) -> Sweeper:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(30)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                sweep(self._ctx)
            except Exception as error:  # the next round tries again; never a value in the log
                logging.getLogger("crossguard.verify").error(
                    "verification sweep failed (%s)", type(error).__name__)
            self._stop.wait(self._interval)
