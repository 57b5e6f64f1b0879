"""The store's tables as typed SQLAlchemy 2 models.

Schema changes go through alembic (``crossguard/store/migrations``); these
models describe the head revision.
"""

from __future__ import annotations

from sqlalchemy import Float, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of every crossguard table."""


class SpoolEntry(Base):
    """One message accepted by a gateway, from DATA until delivered or held.

    The row is inserted with the decision, after the body file is fsynced and
    before the reply. ``state``: ``queued`` (to relay), ``relaying`` (claimed
    by ``owner`` until ``lease_until``), ``delivered``, ``held`` (in
    quarantine), ``rejected`` (answered 550), ``failed`` (some recipient
    failed for good: ``failed_rcpts``).
    """

    __tablename__ = "spool"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    received_at: Mapped[float] = mapped_column(Float)
    instance: Mapped[str] = mapped_column(String(200))
    mail_from: Mapped[str] = mapped_column(Text)
    rcpts: Mapped[str] = mapped_column(Text, doc="JSON list of recipients still to deliver")
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[float] = mapped_column(Float)
    owner: Mapped[str | None] = mapped_column(String(200), nullable=True)
    lease_until: Mapped[float | None] = mapped_column(Float, nullable=True)
    body_path: Mapped[str | None] = mapped_column(Text, nullable=True)
    body: Mapped[bytes | None] = mapped_column(
        LargeBinary, nullable=True, doc="released body: nonce || AES-GCM ciphertext"
    )
    digest: Mapped[str] = mapped_column(String(64))
    failed_rcpts: Mapped[str] = mapped_column(Text, default="[]")
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (
        Index("ix_spool_state_next", "state", "next_attempt_at"),
        Index("ix_spool_digest", "digest"),
    )


class QuarantineEntry(Base):
    """A held message: masked verdict in the clear, body encrypted with AES-GCM."""

    __tablename__ = "quarantine"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[float] = mapped_column(Float)
    message_id: Mapped[str | None] = mapped_column(Text, nullable=True)
    mail_from: Mapped[str] = mapped_column(Text)
    rcpts: Mapped[str] = mapped_column(Text, doc="JSON list of envelope recipients")
    action: Mapped[str] = mapped_column(String(16))
    verdict: Mapped[str] = mapped_column(Text, doc="masked Verdict.as_dict() as JSON")
    body: Mapped[bytes] = mapped_column(LargeBinary, doc="nonce || AES-GCM ciphertext")
    state: Mapped[str] = mapped_column(String(16), default="held")
    decided_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    decided_by: Mapped[str | None] = mapped_column(Text, nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (Index("ix_quarantine_state_created", "state", "created_at"),)


class AuditEntry(Base):
    """One append-only audit record, chained to the previous one by hash."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    ts: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(Text)
    event: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The single row naming the chain's last entry; appends lock it."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class BulkSendMark(Base):
    """The last time a sender reached a recipient, for the bulk_send rule."""

    __tablename__ = "bulk_send"

    sender: Mapped[str] = mapped_column(String(320), primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320), primary_key=True)
    last_seen: Mapped[float] = mapped_column(Float)

    __table_args__ = (Index("ix_bulk_send_sender_seen", "sender", "last_seen"),)
