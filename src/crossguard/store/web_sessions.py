"""Server-side dashboard sessions: logout and revocation take effect at once.

The cookie carries a random session id; the database keeps only its SHA-256,
the user and the expiry. Logging out deletes the row; deleting a user or
changing a password deletes all of that user's rows. A cookie whose row is
gone is refused, whatever its signature says.
"""

from __future__ import annotations

import hashlib
import secrets
import time

from sqlalchemy import Float, String, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from crossguard.store.db import rows_deleted
from crossguard.store.models import Base


class DashboardSession(Base):
    """One logged-in browser: the SHA-256 of its session id, the user, the expiry."""

    __tablename__ = "dashboard_session"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user: Mapped[str] = mapped_column(String(100), index=True)
    created_at: Mapped[float] = mapped_column(Float)
    expires_at: Mapped[float] = mapped_column(Float)


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("ascii", "replace")).hexdigest()


class WebSessions:
    """Start, check and end dashboard sessions."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def start(self, user: str, seconds: int) -> str:
        """A new session id for ``user``, valid for ``seconds`` (expired rows are swept)."""
        session_id = secrets.token_urlsafe(32)
        now = time.time()
        with self._sessions.begin() as session:
            session.execute(delete(DashboardSession).where(DashboardSession.expires_at < now))
            session.add(DashboardSession(id_hash=_digest(session_id), user=user,
                                         created_at=now, expires_at=now + seconds))
        return session_id

    def user(self, session_id: str | None) -> str | None:
        """The user of a live session, or None when it ended, was revoked or expired."""
        if not session_id:
            return None
        with self._sessions() as session:
            row = session.scalars(
                select(DashboardSession).where(DashboardSession.id_hash == _digest(session_id))
            ).one_or_none()
        if row is None or row.expires_at < time.time():
            return None
        return row.user

    def end(self, session_id: str | None) -> None:
        """End one session (logout)."""
        if session_id:
            with self._sessions.begin() as session:
                session.execute(delete(DashboardSession)
                                .where(DashboardSession.id_hash == _digest(session_id)))

    @staticmethod
    def end_all(session: Session, user: str) -> int:
        """End every session of ``user`` inside the caller's transaction; how many ended."""
        return rows_deleted(session, delete(DashboardSession).where(DashboardSession.user == user))
