"""The spool: durable bodies, exclusive claims across instances, retries, recovery, dedupe."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from crossguard.store import spool as spool_module
from crossguard.store.models import SpoolEntry
from crossguard.store.settings import StoreSettings
from crossguard.store.spool import Claim, envelope_digest
from crossguard.store.store import Store

BODY = b"Subject: hi\r\n\r\nhello\r\n"


def receive(store: Store, rcpts: list[str] | None = None, body: bytes = BODY,
            state: str = "queued") -> str:
    """Write a body and record its row as the gateway does after deciding."""
    rcpts = rcpts or ["a@x.test"]
    spool_id = store.spool.write(body)
    with store.sessions.begin() as session:
        store.spool.record(session, spool_id, mail_from="s@example.com", rcpts=rcpts,
                           digest=envelope_digest("s@example.com", rcpts, body), state=state)
    return spool_id


def test_written_body_is_durable_and_private(make_store: Callable[..., Store]) -> None:
    store = make_store()
    spool_id = store.spool.write(BODY)
    path = store.spool.dir / f"{spool_id}.eml"
    assert path.read_bytes() == BODY
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert store.spool.counts() == {}, "no row before the decision"


def test_claims_are_exclusive_between_instances(make_store: Callable[..., Store]) -> None:
    one, two = make_store("gw1"), make_store("gw2")
    ids = [receive(one, body=BODY + bytes([n])) for n in range(6)]
    first = one.spool.claim("gw1", 4, 60)
    second = two.spool.claim("gw2", 10, 60)
    assert len(first) == 4 and len(second) == 2
    assert {i.id for i in first} | {i.id for i in second} == set(ids)
    assert two.spool.claim("gw2", 10, 60) == []


def test_expired_lease_is_claimed_again(make_store: Callable[..., Store]) -> None:
    one, two = make_store("gw1"), make_store("gw2")
    spool_id = receive(one)
    assert one.spool.claim("gw1", 1, lease_seconds=-1)
    (again,) = two.spool.claim("gw2", 1, 60)
    assert again.id == spool_id and again.attempts == 2
    assert not one.spool.finish(spool_id, "gw1"), "a lost claim cannot finish"
    assert two.spool.finish(spool_id, "gw2")


def test_row_recorded_with_a_claim_is_its_first_attempt(
        make_store: Callable[..., Store]) -> None:
    one, two = make_store("gw1"), make_store("gw2")
    spool_id = one.spool.write(BODY)
    with one.sessions.begin() as session:
        item = one.spool.record(session, spool_id, mail_from="s@example.com",
                                rcpts=["a@x.test"], digest="d", state="queued",
                                claim=Claim("gw1", lease_seconds=-1))
    assert (item.id, item.rcpts, item.attempts) == (spool_id, ["a@x.test"], 1)
    assert one.spool.counts() == {"relaying": 1}
    assert one.spool.load(item) == BODY
    (again,) = two.spool.claim("gw2", 1, 60)  # its lease has ended: another instance takes it
    assert again.id == spool_id and again.attempts == 2


def test_partial_retry_keeps_only_remaining_recipients(make_store: Callable[..., Store]) -> None:
    store = make_store()
    spool_id = receive(store, ["a@x.test", "b@x.test", "c@x.test"])
    store.spool.claim("gw1", 1, 60)
    assert store.spool.retry(spool_id, "gw1", ["b@x.test"], ["c@x.test"], 0.0, "upstream 451")
    (item,) = store.spool.claim("gw1", 1, 60)
    assert item.rcpts == ["b@x.test"]
    assert store.spool.finish(spool_id, "gw1")
    with store.sessions() as session:
        row = session.get_one(SpoolEntry, spool_id)
        assert row.state == "failed" and json.loads(row.failed_rcpts) == ["c@x.test"]
    assert not Path(store.spool.dir / f"{spool_id}.eml").exists()


def test_retry_waits_for_its_delay(make_store: Callable[..., Store]) -> None:
    store = make_store()
    spool_id = receive(store)
    store.spool.claim("gw1", 1, 60)
    store.spool.retry(spool_id, "gw1", ["a@x.test"], [], 3600.0, "upstream down")
    assert store.spool.claim("gw1", 1, 60) == []


def test_recover_requeues_claimed_and_deletes_unaccepted_bodies(
    make_store: Callable[..., Store],
) -> None:
    store = make_store("gw1")
    unanswered = store.spool.write(b"1")
    claimed = receive(store, body=b"2")
    store.spool.claim("gw1", 1, 600)
    other = make_store("gw2")
    foreign = receive(other, body=b"3")
    other.spool.claim("gw2", 1, 600)
    assert store.spool.recover() == {"orphans": 1, "requeued": 1}
    assert not (store.spool.dir / f"{unanswered}.eml").exists()
    assert (store.spool.dir / f"{claimed}.eml").exists()
    (item,) = store.spool.claim("gw1", 5, 60)
    assert item.id == claimed, "another instance's live claim is left alone"
    assert other.spool.body(foreign) == b"3"


def test_duplicates_are_found_only_once_accepted(make_store: Callable[..., Store]) -> None:
    store = make_store()
    digest = envelope_digest("s@example.com", ["a@x.test"], BODY)
    receive(store, state="rejected")
    assert store.spool.find_accepted(digest, 0) is None
    spool_id = receive(store)
    assert store.spool.find_accepted(digest, 0) == spool_id
    assert store.spool.find_accepted(digest, time.time() + 1) is None
    assert envelope_digest("s@example.com", ["A@x.test"], BODY) == digest
    assert envelope_digest("s@example.com", ["b@x.test"], BODY) != digest


def test_reads_do_not_wait_for_an_open_writer(make_store: Callable[..., Store]) -> None:
    store = make_store()
    spool_id = receive(store)
    with store.sessions.begin() as writer:
        writer.get_one(SpoolEntry, spool_id).state = "delivered"
        writer.flush()
        started = time.monotonic()
        assert store.spool.counts() == {"queued": 1}, "readers see the last commit"
        assert store.spool.body(spool_id) == BODY
        assert time.monotonic() - started < 5.0
    assert store.spool.counts() == {"delivered": 1}


@pytest.mark.parametrize("umask", [0o022, 0o000])
def test_database_spool_and_bodies_are_private(umask: int, tmp_path: Path) -> None:
    before = os.umask(umask)
    try:
        settings = StoreSettings(url=f"sqlite:///{tmp_path / 'db' / 'store.db'}",
                                 spool_dir=tmp_path / "spool")
        store = Store(settings, secret_key=bytes(32))
        try:
            spool_id = receive(store, body=b"x")
            created = sorted(tmp_path.rglob("*"))
            modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in created}
        finally:
            store.close()
    finally:
        os.umask(before)
    assert {"store.db", "store.db-wal", "store.db-shm", f"{spool_id}.eml"} <= set(modes)
    assert modes == {path.name: 0o700 if path.is_dir() else 0o600 for path in created}


def test_opening_a_store_keeps_this_process_sqlite_locks(tmp_path: Path) -> None:
    """A second Store must not close a descriptor of the database (that drops every lock).

    Without its locks, another process closing the database believes it is the
    last user and removes the WAL under this process's feet: later writes of
    this process are lost to everyone else.
    """
    database = tmp_path / "store.db"
    settings = StoreSettings(url=f"sqlite:///{database}", spool_dir=tmp_path / "spool")
    store = Store(settings, secret_key=bytes(32))

    def mark(recipient: str) -> None:
        store.writer.run(lambda connection: connection.execute(
            text("INSERT INTO bulk_send VALUES ('s', :r, 1.0)"), {"r": recipient}))

    def count_elsewhere() -> int:
        script = ("import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); "
                  "print(db.execute('SELECT count(*) FROM bulk_send').fetchone()[0]); db.close()")
        done = subprocess.run([sys.executable, "-c", script, str(database)], check=True,
                              capture_output=True, text=True)
        return int(done.stdout)

    try:
        mark("a")
        Store(settings, secret_key=bytes(32)).close()
        assert count_elsewhere() == 1
        mark("b")
        assert count_elsewhere() == 2
    finally:
        store.close()


def test_bodies_written_together_share_a_folder_fsync(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[Path] = []
    first_may_end = threading.Event()

    def fsync_dir(path: Path) -> None:
        synced.append(path)
        if len(synced) == 1:
            first_may_end.wait()

    monkeypatch.setattr(spool_module, "_fsync_dir", fsync_dir)
    folder = spool_module.FolderSync(tmp_path)
    first = threading.Thread(target=folder.sync)
    first.start()
    while not synced:  # the first fsync is running
        time.sleep(0.001)
    later = [threading.Thread(target=folder.sync) for _ in range(3)]
    for thread in later:
        thread.start()
    while folder._asked < 4:  # all three asked while it ran: it does not cover them
        time.sleep(0.001)
    first_may_end.set()
    for thread in [first, *later]:
        thread.join()
    assert synced == [tmp_path, tmp_path], "the three later bodies share the second fsync"


def test_a_failed_folder_fsync_fails_its_caller_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []

    def fsync_dir(path: Path) -> None:
        calls.append(path)
        if len(calls) == 1:
            raise OSError(5, "Input/output error")

    monkeypatch.setattr(spool_module, "_fsync_dir", fsync_dir)
    folder = spool_module.FolderSync(tmp_path)
    with pytest.raises(OSError):
        folder.sync()
    folder.sync()
    assert len(calls) == 2, "the next caller runs its own fsync"
