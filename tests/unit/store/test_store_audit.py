"""The audit chain: appends verify, any edit is found, concurrent writers never fork it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future

import pytest
from sqlalchemy import Connection, delete, event, update

from crossguard.store import audit
from crossguard.store.models import AuditEntry
from crossguard.store.store import Store


def test_empty_chain_verifies(make_store: Callable[..., Store]) -> None:
    report = make_store().audit.verify()
    assert report.ok and report.entries == 0 and report.head_seq == 0


def test_appends_chain_and_verify(make_store: Callable[..., Store]) -> None:
    store = make_store()
    seqs = [store.audit.record("tester", "unit.event", {"n": n}) for n in range(5)]
    assert seqs == [1, 2, 3, 4, 5]
    entries = store.audit.entries()
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
    assert store.audit.verify_chain() is None


def test_edited_payload_names_that_entry(make_store: Callable[..., Store]) -> None:
    store = make_store()
    for n in range(6):
        store.audit.record("tester", "unit.event", {"n": n})
    with store.sessions.begin() as session:
        session.execute(update(AuditEntry).where(AuditEntry.seq == 4).values(payload='{"n":99}'))
    report = store.audit.verify()
    assert report.first_bad == 4
    assert report.entries == 3
    assert report.problem is not None and "hash" in report.problem


def test_deleted_entry_is_found(make_store: Callable[..., Store]) -> None:
    store = make_store()
    for n in range(4):
        store.audit.record("tester", "unit.event", {"n": n})
    with store.sessions.begin() as session:
        session.execute(delete(AuditEntry).where(AuditEntry.seq == 2))
    assert store.audit.verify_chain() == 2


def test_truncated_tail_is_found(make_store: Callable[..., Store]) -> None:
    store = make_store()
    for n in range(4):
        store.audit.record("tester", "unit.event", {"n": n})
    with store.sessions.begin() as session:
        session.execute(delete(AuditEntry).where(AuditEntry.seq == 4))
    assert store.audit.verify_chain() == 4


def test_rehashed_entry_breaks_the_next_link(make_store: Callable[..., Store]) -> None:
    """Recomputing one entry's hash after an edit still breaks its successor's prev_hash."""
    from crossguard.store.audit import entry_hash

    store = make_store()
    for n in range(3):
        store.audit.record("tester", "unit.event", {"n": n})
    with store.sessions.begin() as session:
        row = session.get_one(AuditEntry, 2)
        row.payload = '{"n":7}'
        row.hash = entry_hash(row.prev_hash, row.seq, row.ts, row.actor, row.event, row.payload)
    assert store.audit.verify_chain() == 3


def test_two_instances_appending_concurrently_never_fork(
    make_store: Callable[..., Store],
) -> None:
    stores = [make_store("gw1"), make_store("gw2")]
    errors: list[BaseException] = []

    def writer(store: Store, name: str) -> None:
        try:
            for n in range(40):
                store.audit.record(name, "unit.event", {"n": n})
        except BaseException as error:  # surfaced by the assert below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(stores[i % 2], f"w{i}")) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = stores[0].audit.verify()
    assert report.ok, report
    assert report.entries == 160 and report.head_seq == 160


def _held_batch(store: Store, jobs: list[Callable[[Connection], object]],
                before: Callable[[], None] = lambda: None) -> list[Future[object]]:
    """Submit ``jobs`` while the writer is busy, so they share one group transaction
    (``before`` runs just before they are let go)."""
    busy, release = threading.Event(), threading.Event()

    def blocker(connection: Connection) -> None:
        busy.set()
        release.wait(10)

    first = store.writer.submit(blocker)
    assert busy.wait(10)
    futures = [store.writer.submit(job) for job in jobs]
    before()
    release.set()
    first.result(10)
    return futures


def _appending(n: int) -> Callable[[Connection], int]:
    """A group-commit job appending entry ``{"n": n}``."""
    return lambda connection: audit.append(connection, "gw", "unit.event", {"n": n})


def test_group_transaction_chains_its_entries_from_one_head_read(
    make_store: Callable[..., Store],
) -> None:
    """Eight jobs in one transaction: eight entries, the head read once and moved once."""
    store = make_store()
    store.audit.record("tester", "unit.event", {"n": -1})
    statements: list[str] = []

    def count(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    try:
        futures = _held_batch(store, [_appending(n) for n in range(8)], before=lambda: (
            event.listen(store.engine, "before_cursor_execute", count)))
        seqs = [future.result(10) for future in futures]
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    assert seqs == list(range(2, 10))
    assert sum("FROM audit_head" in s for s in statements) == 1
    assert sum(s.startswith("UPDATE audit_head") for s in statements) == 1
    assert sum(s.startswith("INSERT INTO audit_log") for s in statements) == 1
    report = store.audit.verify()
    assert report.ok and report.entries == 9 and report.head_seq == 9


def test_a_failed_job_leaves_no_entry_and_its_neighbours_are_chained(
    make_store: Callable[..., Store],
) -> None:
    store = make_store()

    def failing(connection: Connection) -> None:
        audit.append(connection, "gw", "unit.event", {"n": "bad"})
        raise RuntimeError("job failed")

    futures = _held_batch(store, [_appending(0), failing, _appending(1)])
    assert [futures[0].result(10), futures[2].result(10)] == [1, 2]
    with pytest.raises(RuntimeError):
        futures[1].result(10)
    assert [entry.payload for entry in store.audit.entries()] == ['{"n":0}', '{"n":1}']
    assert store.audit.verify().ok


def test_group_transactions_of_two_instances_never_fork(
    make_store: Callable[..., Store],
) -> None:
    """Two instances committing groups of appends (and single records) at once: one chain."""
    stores = [make_store("gw1"), make_store("gw2")]
    futures = [store.writer.submit(_appending(n)) for n in range(60) for store in stores]
    for n in range(10):
        stores[n % 2].audit.record("tester", "unit.event", {"n": n})
    assert len({future.result(30) for future in futures}) == 120
    report = stores[0].audit.verify()
    assert report.ok, report
    assert report.entries == 130 and report.head_seq == 130
