"""Who may use the HTTP API and the dashboard: hashed API tokens and dashboard users.

Tokens are 256-bit random strings stored only as their SHA-256; users' passwords
only as argon2id hashes. Roles nest: ``admin`` ⊇ ``reviewer`` ⊇ ``checker``.
Creating, listing-relevant changes (revoking a token, deleting a user, changing a
password) are audited (names and roles, never secrets); deleting a user or
changing a password ends that user's dashboard sessions at once.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Float, String, Text, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from crossguard.errors import ConfigError, StoreError
from crossguard.store import audit
from crossguard.store.db import rows_deleted
from crossguard.store.models import Base
from crossguard.store.web_sessions import WebSessions

ROLES = ("checker", "reviewer", "admin")
TOKEN_PREFIX = "cgt_"


class ApiToken(Base):
    """A bearer token: its SHA-256, a role and a label."""

    __tablename__ = "api_token"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(Text)
    created_at: Mapped[float] = mapped_column(Float)


class DashboardUser(Base):
    """A dashboard login: argon2id password hash and a role."""

    __tablename__ = "dashboard_user"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[float] = mapped_column(Float)


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: an actor name for the audit log and a role."""

    actor: str
    role: str

    def has(self, role: str) -> bool:
        """Whether this principal's role includes ``role``."""
        return role_rank(self.role) >= role_rank(role)


def role_rank(role: str) -> int:
    """The position of ``role`` in the nesting (unknown roles rank below every role)."""
    return ROLES.index(role) if role in ROLES else -1


def token_digest(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ConfigError(f"unknown role {role!r}: one of {', '.join(ROLES)}")


def _check_password(password: str) -> None:
    if len(password) < 8:
        raise ConfigError("a password has at least 8 characters")


class Access:
    """Create and check API tokens and dashboard users."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._hasher = PasswordHasher()
        self._dummy = self._hasher.hash(secrets.token_hex(16))

    def create_token(self, role: str, label: str = "", *, actor: str = "cli") -> tuple[str, str]:
        """A new token for ``role``: (token id, token). The token is shown once, stored hashed."""
        _check_role(role)
        token_id = secrets.token_hex(6)
        token = f"{TOKEN_PREFIX}{token_id}_{secrets.token_urlsafe(32)}"
        with self._sessions.begin() as session:
            session.add(ApiToken(id=token_id, token_hash=token_digest(token), role=role,
                                 label=label, created_at=time.time()))
            audit.append(session, actor, "access.token_create",
                         {"token_id": token_id, "role": role})
        return token_id, token

    def tokens(self) -> list[tuple[str, str, str, float]]:
        """Every token as (id, role, label, created_at); never the token itself."""
        with self._sessions() as session:
            rows = session.scalars(select(ApiToken).order_by(ApiToken.created_at))
            return [(row.id, row.role, row.label, row.created_at) for row in rows]

    def revoke_token(self, token_id: str, *, actor: str = "cli") -> None:
        """Delete a token: the next request that presents it gets 401."""
        with self._sessions.begin() as session:
            if rows_deleted(session, delete(ApiToken).where(ApiToken.id == token_id)) != 1:
                raise StoreError(f"no token {token_id!r}")
            audit.append(session, actor, "access.token_revoke", {"token_id": token_id})

    def authenticate_token(self, token: str) -> Principal | None:
        """The principal a bearer token stands for, or None."""
        with self._sessions() as session:
            row = session.scalars(
                select(ApiToken).where(ApiToken.token_hash == token_digest(token))
            ).one_or_none()
        return Principal(f"api:{row.id}", row.role) if row is not None else None

    def add_user(self, name: str, password: str, role: str, *, actor: str = "cli") -> None:
        """Create a dashboard user; a name that exists is an error."""
        _check_role(role)
        if not name.strip() or len(name) > 100:
            raise ConfigError("a user name is 1 to 100 characters")
        _check_password(password)
        try:
            with self._sessions.begin() as session:
                session.add(DashboardUser(name=name, password_hash=self._hasher.hash(password),
                                          role=role, created_at=time.time()))
                session.flush()
                audit.append(session, actor, "access.user_add", {"user": name, "role": role})
        except IntegrityError:
            raise StoreError(f"user {name!r} exists already") from None

    def users(self) -> list[tuple[str, str, float]]:
        """Every dashboard user as (name, role, created_at)."""
        with self._sessions() as session:
            rows = session.scalars(select(DashboardUser).order_by(DashboardUser.name))
            return [(row.name, row.role, row.created_at) for row in rows]

    def delete_user(self, name: str, *, actor: str = "cli") -> None:
        """Delete a user and end their sessions at once."""
        with self._sessions.begin() as session:
            if rows_deleted(session, delete(DashboardUser).where(DashboardUser.name == name)) != 1:
                raise StoreError(f"no user {name!r}")
            ended = WebSessions.end_all(session, name)
            audit.append(session, actor, "access.user_delete",
                         {"user": name, "sessions_ended": ended})

    def set_password(self, name: str, password: str, *, actor: str = "cli") -> None:
        """Change a user's password and end their sessions at once."""
        _check_password(password)
        with self._sessions.begin() as session:
            user = session.get(DashboardUser, name)
            if user is None:
                raise StoreError(f"no user {name!r}")
            user.password_hash = self._hasher.hash(password)
            ended = WebSessions.end_all(session, name)
            audit.append(session, actor, "access.user_passwd",
                         {"user": name, "sessions_ended": ended})

    def user_role(self, name: str) -> str | None:
        """The role of an existing user, or None."""
        with self._sessions() as session:
            user = session.get(DashboardUser, name)
            return user.role if user is not None else None

    def login(self, name: str, password: str) -> Principal | None:
        """The principal for a correct name and password, else None (same work either way)."""
        with self._sessions() as session:
            user = session.get(DashboardUser, name)
            stored = user.password_hash if user is not None else self._dummy
            role = user.role if user is not None else ""
        try:
            self._hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return None
        return Principal(f"web:{name}", role) if user is not None else None
