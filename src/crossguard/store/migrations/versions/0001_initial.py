"""Initial store schema: spool, quarantine, audit chain, bulk-send marks.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create every table."""
    op.create_table(
        "spool",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("received_at", sa.Float(), nullable=False),
        sa.Column("instance", sa.String(200), nullable=False),
        sa.Column("mail_from", sa.Text(), nullable=False),
        sa.Column("rcpts", sa.Text(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.Float(), nullable=False),
        sa.Column("owner", sa.String(200), nullable=True),
        sa.Column("lease_until", sa.Float(), nullable=True),
        sa.Column("body_path", sa.Text(), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("failed_rcpts", sa.Text(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
    )
    op.create_index("ix_spool_state_next", "spool", ["state", "next_attempt_at"])
    op.create_index("ix_spool_digest", "spool", ["digest"])
    op.create_table(
        "quarantine",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("message_id", sa.Text(), nullable=True),
        sa.Column("mail_from", sa.Text(), nullable=False),
        sa.Column("rcpts", sa.Text(), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("verdict", sa.Text(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("decided_at", sa.Float(), nullable=True),
        sa.Column("decided_by", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
    )
    op.create_index("ix_quarantine_state_created", "quarantine", ["state", "created_at"])
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("ts", sa.String(40), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("event", sa.String(64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": "0" * 64}])
    op.create_table(
        "bulk_send",
        sa.Column("sender", sa.String(320), primary_key=True),
        sa.Column("recipient", sa.String(320), primary_key=True),
        sa.Column("last_seen", sa.Float(), nullable=False),
    )
    op.create_index("ix_bulk_send_sender_seen", "bulk_send", ["sender", "last_seen"])


def downgrade() -> None:
    """Drop every table."""
    for table in ("bulk_send", "audit_head", "audit_log", "quarantine", "spool"):
        op.drop_table(table)
