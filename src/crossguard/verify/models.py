"""The verification tables: campaigns and their items (one per customer and link).

An item's ``upload`` is ``nonce ‖ AES-GCM`` ciphertext (the quarantine's cipher,
bound to the item); ``reading`` holds masked values only. Both are set to NULL
when the item is purged; the decision and its audit entries remain.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Float, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crossguard.store.models import Base

#: Item states: a link waiting for its upload, an upload waiting for a decision, and the ends.
PENDING, RECEIVED, VERIFIED, REJECTED, REVOKED, EXPIRED = (
    "pending", "received", "verified", "rejected", "revoked", "expired",
)
ITEM_STATES = (PENDING, RECEIVED, VERIFIED, REJECTED, REVOKED, EXPIRED)
#: What reading the document said about it.
OUTCOMES = ("match", "mismatch", "unreadable")


class VerifyCampaign(Base):
    """A named batch of upload links made at one time."""

    __tablename__ = "verify_campaign"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    created_at: Mapped[float] = mapped_column(Float)
    created_by: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[float] = mapped_column(Float)
    state: Mapped[str] = mapped_column(String(16), default="open")


class VerifyItem(Base):
    """One customer's link, upload, reading and decision."""

    __tablename__ = "verify_item"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    campaign_id: Mapped[str] = mapped_column(String(32))
    customer_id: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[float] = mapped_column(Float)
    expires_at: Mapped[float] = mapped_column(Float)
    state: Mapped[str] = mapped_column(String(16), default=PENDING)
    uploaded_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    upload: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    upload_type: Mapped[str | None] = mapped_column(String(16), nullable=True)
    upload_bytes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    address_confirmed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)
    reading: Mapped[str | None] = mapped_column(Text, nullable=True, doc="masked JSON")
    decided_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    decided_by: Mapped[str | None] = mapped_column(Text, nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    purged_at: Mapped[float | None] = mapped_column(Float, nullable=True)

    __table_args__ = (
        Index("ix_verify_item_campaign", "campaign_id"),
        Index("ix_verify_item_state", "state", "uploaded_at"),
    )
