"""Storage: durable spool, encrypted quarantine, hash-chained audit log, bulk-send state.

SQLite (WAL) by default, PostgreSQL for several gateway instances; the schema
is migrated with alembic whenever a store opens.
"""

from __future__ import annotations

from crossguard.store.audit import AuditLog, ChainReport
from crossguard.store.counter import SqlBulkCounter
from crossguard.store.quarantine import HeldMessage, Quarantine
from crossguard.store.spool import Spool
from crossguard.store.store import Store

__all__ = [
    "AuditLog",
    "ChainReport",
    "HeldMessage",
    "Quarantine",
    "Spool",
    "SqlBulkCounter",
    "Store",
]
