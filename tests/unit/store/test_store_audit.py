"""The audit chain: appends verify, any edit is found, concurrent writers never fork it."""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import delete, update

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
