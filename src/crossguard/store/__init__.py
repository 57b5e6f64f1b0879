"""Storage: durable spool, encrypted quarantine, hash-chained audit log, bulk-send state.

SQLite (WAL) by default, PostgreSQL for several gateway instances; the schema
is migrated with alembic whenever a store opens. The facade is
:class:`crossguard.store.store.Store`.
"""
