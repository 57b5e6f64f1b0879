"""Alembic environment: runs against the connection the store hands over."""

from __future__ import annotations

from alembic import context

from crossguard.store.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata)
with context.begin_transaction():
    context.run_migrations()
