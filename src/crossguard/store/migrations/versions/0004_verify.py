"""Verification campaigns and their upload links.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the campaign and item tables."""
    op.create_table(
        "verify_campaign",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
    )
    op.create_table(
        "verify_item",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("campaign_id", sa.String(32), nullable=False),
        sa.Column("customer_id", sa.String(200), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("uploaded_at", sa.Float(), nullable=True),
        sa.Column("upload", sa.LargeBinary(), nullable=True),
        sa.Column("upload_type", sa.String(16), nullable=True),
        sa.Column("upload_bytes", sa.Integer(), nullable=True),
        sa.Column("address_confirmed", sa.Boolean(), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("reading", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.Float(), nullable=True),
        sa.Column("decided_by", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("purged_at", sa.Float(), nullable=True),
    )
    op.create_index("ix_verify_item_campaign", "verify_item", ["campaign_id"])
    op.create_index("ix_verify_item_state", "verify_item", ["state", "uploaded_at"])


def downgrade() -> None:
    """Drop the verification tables."""
    op.drop_index("ix_verify_item_state", "verify_item")
    op.drop_index("ix_verify_item_campaign", "verify_item")
    op.drop_table("verify_item")
    op.drop_table("verify_campaign")
