"""The append-only, hash-chained audit log.

Each entry's hash is ``sha256(prev_hash ‖ canonical JSON of seq, ts, actor,
event, payload)``. Appends lock the single ``audit_head`` row (``SELECT ...
FOR UPDATE`` on PostgreSQL; SQLite transactions start ``BEGIN IMMEDIATE``), so
several gateway instances on one database extend one chain and never fork it.
Payloads carry masked values and fingerprints only.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy import text as sql
from sqlalchemy.orm import Session, sessionmaker

from crossguard.errors import StoreError
from crossguard.store.anchor import Checkpoint
from crossguard.store.models import AuditEntry, AuditHead

GENESIS = "0" * 64
# SQLite has no FOR UPDATE: its writers start BEGIN IMMEDIATE, which serializes them.
HEAD = sql("SELECT seq, hash FROM audit_head WHERE id = 1")
HEAD_FOR_UPDATE = sql("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE")
INSERT_ENTRY = sql(
    "INSERT INTO audit_log (seq, ts, actor, event, payload, prev_hash, hash) "
    "VALUES (:seq, :ts, :actor, :event, :payload, :prev_hash, :hash)"
)
MOVE_HEAD = sql("UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1")
#: Where a group-commit transaction keeps its pending entries (``Connection.info``).
BATCH_KEY = "crossguard.audit_batch"


def entry_hash(prev_hash: str, seq: int, ts: str, actor: str, event: str, payload: str) -> str:
    """The chain hash of one entry."""
    body = json.dumps([seq, ts, actor, event, payload], separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256((prev_hash + body).encode("ascii")).hexdigest()


def append(session: Session | Connection, actor: str, event: str,
           payload: Mapping[str, Any]) -> int:
    """Append one entry inside the caller's transaction; return its sequence number.

    In a group-commit transaction (:func:`batched`) the entries gather in the
    batch and are written when it ends: the head is read once and moved once.
    """
    connection = session if isinstance(session, Connection) else session.connection()
    batch: _Batch | None = connection.info.get(BATCH_KEY)
    if batch is not None:
        return batch.add(actor, event, payload)
    alone = _Batch(session, _is_postgres(connection))
    seq = alone.add(actor, event, payload)
    alone.write()
    return seq


@contextmanager
def batched(connection: Connection, lock_head: bool = False) -> Iterator[None]:
    """Gather the entries appended on ``connection`` and write them together at the end.

    ``lock_head`` reads (and locks, ``FOR UPDATE``) the head at once. A job
    that fails leaves its entries unwritten: the caller rolls the whole
    transaction back anyway.
    """
    batch = connection.info[BATCH_KEY] = _Batch(connection, _is_postgres(connection))
    try:
        if lock_head:
            batch.read_head()
        yield
        batch.write()
    finally:
        del connection.info[BATCH_KEY]


def _is_postgres(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


class _Batch:
    """Entries of one transaction chained from the head it read: inserted, then the head moved."""

    def __init__(self, executor: Session | Connection, postgres: bool) -> None:
        self._executor = executor
        self._read = HEAD_FOR_UPDATE if postgres else HEAD
        self._head: tuple[int, str] | None = None
        self._rows: list[dict[str, Any]] = []

    def read_head(self) -> tuple[int, str]:
        """The head (locked on PostgreSQL; SQLite's writer holds its lock already)."""
        if self._head is None:
            head = self._executor.execute(self._read).one_or_none()
            if head is None:
                raise StoreError("audit chain head is missing")
            self._head = (int(head.seq), head.hash)
        return self._head

    def add(self, actor: str, event: str, payload: Mapping[str, Any]) -> int:
        """Chain one entry after the last; its sequence number."""
        prev_seq, prev_hash = self.read_head()
        seq = prev_seq + 1
        ts = datetime.now(UTC).isoformat(timespec="microseconds")
        text = json.dumps(dict(payload), sort_keys=True, separators=(",", ":"))
        digest = entry_hash(prev_hash, seq, ts, actor, event, text)
        self._rows.append({"seq": seq, "ts": ts, "actor": actor, "event": event,
                           "payload": text, "prev_hash": prev_hash, "hash": digest})
        self._head = (seq, digest)
        return seq

    def write(self) -> None:
        """Insert the gathered entries and move the head past them."""
        if not self._rows or self._head is None:
            return
        self._executor.execute(INSERT_ENTRY, self._rows)
        seq, digest = self._head
        self._executor.execute(MOVE_HEAD, {"seq": seq, "hash": digest})
        self._rows = []


@dataclass(frozen=True, slots=True)
class ChainReport:
    """The outcome of verifying the chain: entries checked and the first bad one, if any."""

    entries: int
    first_bad: int | None
    problem: str | None
    head_seq: int
    #: Signed checkpoints the chain was held against (0 when none is configured or written).
    checkpoints: int = 0

    @property
    def ok(self) -> bool:
        return self.first_bad is None


class AuditLog:
    """Read and verify the audit chain; append through :func:`append` or :meth:`record`."""

    def __init__(self, sessions: sessionmaker[Session],
                 reads: sessionmaker[Session] | None = None) -> None:
        self._sessions = sessions
        self._reads = reads or sessions

    def record(self, actor: str, event: str, payload: Mapping[str, Any]) -> int:
        """Append one entry in its own transaction."""
        with self._sessions.begin() as session:
            return append(session, actor, event, payload)

    def entries(self, limit: int = 100, after: int = 0) -> list[AuditEntry]:
        """Entries with ``seq > after``, oldest first."""
        with self._reads() as session:
            rows = session.scalars(
                select(AuditEntry).where(AuditEntry.seq > after).order_by(AuditEntry.seq)
                .limit(limit)
            )
            return list(rows)

    def verify(self, checkpoints: Sequence[Checkpoint] = (), batch: int = 5000) -> ChainReport:
        """Walk the chain from the start; report the first entry that does not verify.

        Each signed checkpoint must still find its entry with the hash it recorded:
        that catches a chain rewritten and re-hashed to the end, or cut short, which
        the chain alone cannot.
        """
        signed = {point.seq: point for point in checkpoints}
        prev, expected, count = GENESIS, 1, 0
        with self._reads() as session:
            head = session.get(AuditHead, 1)
            head_seq = head.seq if head else -1
            while True:
                rows = session.scalars(
                    select(AuditEntry).where(AuditEntry.seq >= expected)
                    .order_by(AuditEntry.seq).limit(batch)
                ).all()
                for row in rows:
                    problem = _check(row, prev, expected) or _against(row, signed.get(row.seq))
                    if problem:
                        return ChainReport(count, expected, problem, head_seq, len(signed))
                    prev, expected, count = row.hash, expected + 1, count + 1
                if len(rows) < batch:
                    break
            if head is None or head.seq != count or head.hash != prev:
                return ChainReport(count, count + 1, "chain head does not match the last entry",
                                   head_seq, len(signed))
        beyond = [point for point in checkpoints if point.seq > count]
        if beyond:
            last = max(beyond, key=lambda point: point.seq)
            return ChainReport(
                count, count + 1,
                f"the chain ends at entry {count}, but a checkpoint signed at {last.ts} "
                f"recorded entry {last.seq}: entries were deleted",
                head_seq, len(signed),
            )
        return ChainReport(count, None, None, head_seq, len(signed))

    def verify_chain(self) -> int | None:
        """The sequence number of the first bad entry, or None when the chain verifies."""
        return self.verify().first_bad


def _check(row: AuditEntry, prev: str, expected: int) -> str | None:
    """Why ``row`` breaks the chain, or None."""
    if row.seq != expected:
        return f"entry {expected} is missing"
    if row.prev_hash != prev:
        return "prev_hash does not match the previous entry"
    if entry_hash(prev, row.seq, row.ts, row.actor, row.event, row.payload) != row.hash:
        return "hash does not match the entry's content"
    return None


def _against(row: AuditEntry, point: Checkpoint | None) -> str | None:
    """Why ``row`` contradicts the signed checkpoint of its position, or None."""
    if point is None or point.hash == row.hash:
        return None
    return (f"entry differs from the checkpoint signed at {point.ts}: "
            "it or an entry before it was rewritten")
