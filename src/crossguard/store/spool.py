"""The durable spool: a message is on disk (fsync) and in a row before any 250.

A body file is written 0600 with ``O_EXCL``, fsynced, and its folder (0700)
fsynced (bodies written together share one folder fsync, as their rows share
one commit); only then the row is committed. The file is deleted once the message
is delivered, held or refused. A body kept in the row instead (a release from
the quarantine, which any instance may relay) is sealed with the quarantine's
AES-GCM cipher: the database never holds a body in plain text. Relay workers
claim rows with a conditional UPDATE, so two instances never relay the same
row at the same time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
import time
import uuid
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from sqlalchemy import Connection, Engine, Table, func, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from crossguard.core.private import FILE_MODE, private_dir
from crossguard.errors import StoreError
from crossguard.store.batch import GroupCommitter
from crossguard.store.crypto import BodyCipher
from crossguard.store.models import SpoolEntry

#: States in which the client was told 250: the message is ours to deliver or hold.
ACCEPTED = ("queued", "relaying", "delivered", "held", "failed")
ROWS = cast(Table, SpoolEntry.__table__)
# The hot path's statements, written once (plain SQL both dialects accept).
FIND_ACCEPTED = text(
    "SELECT id FROM spool WHERE digest = :digest AND received_at >= :since AND state IN "
    f"({', '.join(repr(state) for state in ACCEPTED)}) LIMIT 1"
)
INSERT_ROW = text(
    "INSERT INTO spool (id, received_at, instance, mail_from, rcpts, state, attempts, "
    "next_attempt_at, body_path, digest, failed_rcpts, owner, lease_until) VALUES (:id, :now, "
    ":instance, :mail_from, :rcpts, :state, :attempts, :now, :body_path, :digest, '[]', "
    ":owner, :lease_until)"
)
_DUE = ("((state = 'queued' AND next_attempt_at <= :now) "
        "OR (state = 'relaying' AND lease_until < :now))")
# The condition is repeated in the UPDATE: a row another instance claimed in the
# meantime no longer matches it (PostgreSQL re-checks it after the lock).
CLAIM = text(
    "UPDATE spool SET state = 'relaying', owner = :owner, lease_until = :lease_until, "
    f"attempts = attempts + 1 WHERE id IN (SELECT id FROM spool WHERE {_DUE} "
    f"ORDER BY next_attempt_at LIMIT :limit) AND {_DUE} "
    "RETURNING id, mail_from, rcpts, attempts, received_at, body_path, body"
)
FINISH = text(
    "UPDATE spool SET state = CASE WHEN failed_rcpts = '[]' THEN 'delivered' ELSE 'failed' "
    "END, rcpts = '[]', body = NULL, last_error = :error "
    "WHERE id = :id AND state = 'relaying' AND owner = :owner"
)


@dataclass(frozen=True, slots=True)
class SpoolItem:
    """A spool row as the relay worker needs it."""

    id: str
    mail_from: str
    rcpts: list[str]
    attempts: int
    received_at: float
    body_path: str | None = None
    body: bytes | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    """A relay worker's claim on a row from its insert: the first attempt is already taken."""

    owner: str
    lease_seconds: float


def new_id() -> str:
    """A fresh spool or quarantine id (32 hex characters)."""
    return uuid.uuid4().hex


def envelope_digest(mail_from: str, rcpts: Sequence[str], body: bytes) -> str:
    """SHA-256 of the envelope and bytes: the identity of a retransmission."""
    digest = hashlib.sha256()
    digest.update(mail_from.lower().encode("utf-8", "surrogateescape") + b"\0")
    for rcpt in sorted(r.lower() for r in rcpts):
        digest.update(rcpt.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(body)
    return digest.hexdigest()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class FolderSync:
    """Group fsync of one folder: a caller returns after an fsync that began after it asked.

    Callers that ask while an fsync runs wait for it, then share the next one:
    files created together cost one folder fsync. A failed fsync raises in the
    thread that ran it; a waiter runs its own.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._changed = threading.Condition()
        self._asked = 0  # tickets handed out
        self._synced = 0  # every ticket up to this one is on disk
        self._running = False

    def sync(self) -> None:
        """Return once an fsync of the folder that started after this call has finished."""
        with self._changed:
            self._asked += 1
            ticket = self._asked
            while self._synced < ticket and self._running:
                self._changed.wait()
            if self._synced >= ticket:
                return
            self._running, covered = True, self._asked
        synced = False
        try:
            _fsync_dir(self.folder)
            synced = True
        finally:
            with self._changed:
                self._running = False
                if synced:
                    self._synced = covered
                self._changed.notify_all()


def write_durable(path: Path, data: bytes, folder: FolderSync) -> None:
    """Create ``path`` with ``data`` in ``folder``, fsync the file, then the folder."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)
    folder.sync()


class Spool:
    """Rows and files of messages between DATA and delivery."""

    def __init__(self, sessions: sessionmaker[Session], spool_dir: Path, instance: str,
                 reads: sessionmaker[Session], *, writer: GroupCommitter,
                 read_engine: Engine, cipher: BodyCipher | None = None) -> None:
        self._sessions = sessions
        self._reads = reads
        self._writer = writer
        self._read_engine = read_engine
        self.dir = spool_dir
        self.instance = instance
        self._cipher = cipher
        self._folder = FolderSync(self.dir)
        try:
            private_dir(self.dir)
        except OSError as error:
            raise StoreError(
                f"store.spool_dir: cannot create {self.dir} ({error.strerror})") from None

    def find_accepted(self, digest: str, since: float) -> str | None:
        """The id of an already accepted message with this digest, received after ``since``."""
        with self._read_engine.connect() as connection:
            return self.accepted(connection, digest, since)

    @staticmethod
    def accepted(connection: Connection, digest: str, since: float) -> str | None:
        """:meth:`find_accepted` in the caller's transaction."""
        return connection.execute(FIND_ACCEPTED, {"digest": digest, "since": since}).scalar()

    def write(self, body: bytes) -> str:
        """Write a new body durably (file and folder fsynced); return its spool id."""
        spool_id = new_id()
        try:
            write_durable(self.dir / f"{spool_id}.eml", body, self._folder)
        except OSError as error:
            raise StoreError(f"spool write failed ({error.strerror})") from None
        return spool_id

    def record(self, session: Session | Connection, spool_id: str, *, mail_from: str,
               rcpts: Sequence[str], digest: str, state: str,
               body_path: str | None = None, claim: Claim | None = None) -> SpoolItem:
        """Insert the row of a written body, in its decided state, in the caller's transaction.

        A row given a ``claim`` (a queued one) is inserted ``relaying``, claimed by
        ``claim.owner`` for its first attempt as :meth:`claim` would: the returned
        item is that attempt's, for the worker holding the claim.
        """
        now = time.time()
        path = body_path or str(self.dir / f"{spool_id}.eml")
        attempts = 0 if claim is None else 1
        session.execute(INSERT_ROW, {
            "id": spool_id, "now": now, "instance": self.instance, "mail_from": mail_from,
            "rcpts": json.dumps(list(rcpts)), "state": state if claim is None else "relaying",
            "digest": digest, "body_path": path, "attempts": attempts,
            "owner": None if claim is None else claim.owner,
            "lease_until": None if claim is None else now + claim.lease_seconds,
        })
        return SpoolItem(spool_id, mail_from, list(rcpts), attempts, now, path)

    def replace_body(self, spool_id: str, body: bytes) -> str:
        """Write a second (e.g. redacted) body for ``spool_id``; return its path."""
        path = self.dir / f"{spool_id}.out.eml"
        write_durable(path, body, self._folder)
        return str(path)

    def _need_cipher(self) -> BodyCipher:
        if self._cipher is None:
            raise StoreError("a body kept in the spool needs the index key (set $CROSSGUARD_KEY)")
        return self._cipher

    def enqueue(self, session: Session, mail_from: str, rcpts: Sequence[str], body: bytes) -> str:
        """Queue a message whose bytes live in the row, sealed (released from quarantine)."""
        spool_id, now = new_id(), time.time()
        sealed = self._need_cipher().encrypt(f"spool/{spool_id}", body)
        session.add(
            SpoolEntry(
                id=spool_id, received_at=now, instance=self.instance, mail_from=mail_from,
                rcpts=json.dumps(list(rcpts)), state="queued", attempts=0, next_attempt_at=now,
                body=sealed, digest=envelope_digest(mail_from, rcpts, body), failed_rcpts="[]",
            )
        )
        return spool_id

    def claim(self, owner: str, limit: int, lease_seconds: float) -> list[SpoolItem]:
        """Claim due rows (queued, or relaying with an expired lease) for ``owner``."""
        return self.claim_later(owner, limit, lease_seconds).result()

    def claim_later(self, owner: str, limit: int, lease_seconds: float
                    ) -> Future[list[SpoolItem]]:
        """:meth:`claim` in the next group transaction; the future resolves after its commit."""
        now = time.time()
        params = {"now": now, "owner": owner, "lease_until": now + lease_seconds, "limit": limit}

        def job(connection: Connection) -> list[SpoolItem]:
            items = [
                SpoolItem(row.id, row.mail_from, json.loads(row.rcpts), row.attempts,
                          row.received_at, row.body_path, row.body)
                for row in connection.execute(CLAIM, params)
            ]
            return sorted(items, key=lambda item: item.received_at)

        return self._writer.submit(job)

    def body(self, spool_id: str) -> bytes:
        """The bytes to relay for ``spool_id``."""
        with self._reads() as session:
            entry = session.get_one(SpoolEntry, spool_id)
            return self.load(SpoolItem(entry.id, entry.mail_from, [], entry.attempts,
                                       entry.received_at, entry.body_path, entry.body))

    def load(self, item: SpoolItem) -> bytes:
        """The bytes to relay for a claimed item (from its row, unsealed, or its file)."""
        if item.body is not None:
            return self._need_cipher().decrypt(f"spool/{item.id}", item.body)
        if item.body_path is None:
            raise StoreError(f"spool {item.id}: no body")
        try:
            return Path(item.body_path).read_bytes()
        except OSError as error:
            raise StoreError(f"spool {item.id}: body unreadable ({error.strerror})") from None

    def finish(self, spool_id: str, owner: str, failed: Sequence[str] = (),
               error: str | None = None) -> bool:
        """Close a claimed row; False if the claim was lost.

        The row ends ``delivered`` when no recipient failed for good over all
        attempts, else ``failed`` with ``failed_rcpts`` naming them.
        """
        if not self.finish_later(spool_id, owner, failed, error).result():
            return False
        self.remove_files(spool_id)
        return True

    def finish_later(self, spool_id: str, owner: str, failed: Sequence[str] = (),
                     error: str | None = None) -> Future[bool]:
        """:meth:`finish` in the next group transaction; the caller removes the files after."""
        def job(connection: Connection) -> bool:
            if not failed:
                closed = connection.execute(FINISH, {"id": spool_id, "owner": owner,
                                                     "error": error})
                return bool(closed.rowcount)
            mine = ((ROWS.c.id == spool_id) & (ROWS.c.state == "relaying")
                    & (ROWS.c.owner == owner))
            done = {"rcpts": "[]", "body": None, "last_error": error}
            before = connection.scalar(select(ROWS.c.failed_rcpts).where(mine))
            if before is None:
                return False
            all_failed = json.dumps(json.loads(before) + list(failed))
            connection.execute(update(ROWS).where(mine).values(
                state="failed", failed_rcpts=all_failed, **done))
            return True

        return self._writer.submit(job)

    def retry(self, spool_id: str, owner: str, remaining: Sequence[str], failed: Sequence[str],
              delay: float, error: str) -> bool:
        """Put a claimed row back to ``queued`` for ``remaining`` recipients after ``delay``."""
        with self._sessions.begin() as session:
            entry = session.get(SpoolEntry, spool_id)
            if entry is None or entry.state != "relaying" or entry.owner != owner:
                return False
            entry.state, entry.owner, entry.lease_until = "queued", None, None
            entry.rcpts = json.dumps(list(remaining))
            entry.failed_rcpts = json.dumps(json.loads(entry.failed_rcpts) + list(failed))
            entry.next_attempt_at, entry.last_error = time.time() + delay, error
        return True

    def remove_files(self, spool_id: str) -> None:
        """Delete the body files of ``spool_id``."""
        _remove([f"{self.dir / spool_id}.eml", f"{self.dir / spool_id}.out.eml"])

    def recover(self) -> dict[str, int]:
        """After a restart: requeue this instance's claimed rows, delete bodies never accepted.

        A body file without a ``queued``/``relaying`` row was never answered 250
        (or is already delivered or held): the client retries it, so it goes.
        """
        with self._sessions.begin() as session:
            requeued = session.execute(
                update(SpoolEntry)
                .where(SpoolEntry.owner == self.instance, SpoolEntry.state == "relaying")
                .values(state="queued", owner=None, lease_until=None)
            ).rowcount  # type: ignore[attr-defined]
        on_disk = {path.name.split(".", 1)[0] for path in self.dir.glob("*.eml")}
        with self._reads() as session:
            pending = set(session.scalars(
                select(SpoolEntry.id).where(
                    SpoolEntry.id.in_(on_disk), SpoolEntry.state.in_(("queued", "relaying"))
                )
            )) if on_disk else set()
        orphans = on_disk - pending
        for spool_id in orphans:
            self.remove_files(spool_id)
        return {"orphans": len(orphans), "requeued": int(requeued)}

    def counts(self) -> dict[str, int]:
        """Rows per state."""
        with self._reads() as session:
            rows = session.execute(
                select(SpoolEntry.state, func.count()).group_by(SpoolEntry.state)
            ).all()
        return {state: int(count) for state, count in rows}


def _remove(paths: Sequence[str | None]) -> None:
    for path in paths:
        if path:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
