"""Server-side dashboard sessions.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the dashboard session table."""
    op.create_table(
        "dashboard_session",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("user", sa.String(100), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
    )
    op.create_index("ix_dashboard_session_user", "dashboard_session", ["user"])


def downgrade() -> None:
    """Drop the dashboard session table."""
    op.drop_index("ix_dashboard_session_user", "dashboard_session")
    op.drop_table("dashboard_session")
