"""The store facade: one database (SQLite or PostgreSQL) holding spool, quarantine, audit."""

from __future__ import annotations

import socket
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from crossguard.errors import ConfigError
from crossguard.store.audit import AuditLog
from crossguard.store.batch import GroupCommitter
from crossguard.store.checkpoints import Checkpointer, anchor_for
from crossguard.store.counter import SqlBulkCounter
from crossguard.store.crypto import BodyCipher
from crossguard.store.db import READ_ONLY, create_store_engine, is_postgres, migrate
from crossguard.store.decision import Decided, Decision, write
from crossguard.store.quarantine import Quarantine
from crossguard.store.settings import StoreSettings
from crossguard.store.spool import Spool
from crossguard.store.web_sessions import WebSessions


class StoreConfig(Protocol):
    """What opening a store reads from the assembled settings: its section and the index key."""

    @property
    def store(self) -> StoreSettings: ...

    def secret_key(self) -> bytes: ...


class Store:
    """Spool, quarantine, audit chain and bulk-send counter over one migrated database."""

    def __init__(self, settings: StoreSettings, *, secret_key: bytes | None,
                 instance: str | None = None) -> None:
        self.engine: Engine = create_store_engine(settings)
        migrate(self.engine)
        self._read_engine = (
            create_store_engine(settings, writer=False)
            if self.engine.dialect.name == "sqlite" else self.engine
        )
        #: Engine for plain-SQL reads on the hot path (never blocks a writer).
        self.read_engine: Engine = self._read_engine.execution_options(**{READ_ONLY: True})
        #: Sessions for work that writes (on SQLite: ``BEGIN IMMEDIATE``).
        self.sessions: sessionmaker[Session] = sessionmaker(self.engine, expire_on_commit=False)
        #: Sessions for work that only reads (never waits for or blocks a writer).
        self.reads: sessionmaker[Session] = sessionmaker(
            self.read_engine, expire_on_commit=False
        )
        #: Shared transactions for hot-path writes (decisions, bulk-send marks).
        self.writer = GroupCommitter(self.engine)
        self.instance = instance or socket.gethostname()
        cipher = BodyCipher(secret_key) if secret_key is not None else None
        self.spool = Spool(self.sessions, Path(settings.spool_dir), self.instance, self.reads,
                           writer=self.writer, read_engine=self.read_engine, cipher=cipher)
        self.quarantine = Quarantine(self.sessions, cipher, self.spool, self.reads)
        self.audit = AuditLog(self.sessions, self.reads)
        self.web_sessions = WebSessions(self.sessions)
        self.counter = SqlBulkCounter(self.writer, is_postgres(self.engine))
        anchor = anchor_for(settings)
        #: Signs the audit head outside the database; None when the chain is unanchored.
        self.checkpoints = (
            Checkpointer(anchor, self.engine, self.instance, settings.audit_checkpoint_seconds)
            if anchor is not None else None
        )

    @classmethod
    def from_settings(cls, settings: StoreConfig, *, instance: str | None = None,
                      need_key: bool = True) -> Store:
        """Open the store named by ``settings.store`` with the quarantine key from the index key."""
        try:
            key: bytes | None = settings.secret_key()
        except ConfigError:
            if need_key:
                raise
            key = None
        return cls(settings.store, secret_key=key, instance=instance)

    def record(self, verdict: Decided, message: bytes, *, mail_from: str,
               rcpts: Sequence[str], actor: str, event: str, action: str | None = None,
               hold: bool = True, audit: bool = True, spool_id: str | None = None,
               connection: Connection | None = None) -> str | None:
        """Record one decision: hold the message or audit the check; the quarantine id if held.

        ``action`` defaults to the verdict's. With ``hold`` a ``quarantine`` action
        stores the message (encrypted, audited ``quarantine.hold``); otherwise an
        ``event`` audit entry is written, unless ``audit`` is false. The writes go
        into ``connection``'s transaction when given, else into the next group commit.
        """
        decision = Decision(verdict, message, mail_from, rcpts, actor, event,
                            action or verdict.action, hold, audit, spool_id)
        if connection is not None:
            return write(connection, self.quarantine, decision)
        if not decision.recorded:
            return None
        return self.writer.run(lambda shared: write(shared, self.quarantine, decision))

    def close(self) -> None:
        """Finish queued writes, sign the final audit head, release every connection."""
        self.writer.close()
        if self.checkpoints is not None:
            self.checkpoints.close()
        self.engine.dispose()
        self._read_engine.dispose()
