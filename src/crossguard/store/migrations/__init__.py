"""Alembic migrations of the store, applied programmatically when a store opens."""
