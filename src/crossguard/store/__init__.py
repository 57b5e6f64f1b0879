"""Storage: durable spool, encrypted quarantine, hash-chained audit log, bulk-send state.

SQLite (WAL) by default, PostgreSQL for several gateway instances; the schema
is migrated with alembic whenever a store opens. Import :class:`Store` from
``crossguard.store.store`` (this package stays light: ``config`` imports its
settings).
"""
