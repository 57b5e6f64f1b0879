"""The quarantine: bodies encrypted at rest, decisions need a reason, happen once, are audited."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from crossguard.errors import StoreError
from crossguard.store.models import QuarantineEntry, SpoolEntry
from crossguard.store.settings import StoreSettings
from crossguard.store.store import Store

BODY = b"From: care@example.com\r\nTo: a@cust.test\r\n\r\nlicence D1234567 belongs to Bob\r\n"
VERDICT = {
    "action": "quarantine", "message_id": "<m1@example.com>",
    "rules": [{"rule": "cross_customer", "action": "quarantine", "severity": "critical",
               "reason": "data of 1 customer", "monitor": False, "customers": ["C1"]}],
    "attributions": [{"customer_id": "C1", "score": 2.0, "kinds": ["DRIVER_LICENCE"],
                      "evidence": [{"kind": "DRIVER_LICENCE", "part": "1",
                                    "masked": "D******67", "weight": 2.0}]}],
}


def hold(store: Store, body: bytes = BODY) -> str:
    with store.sessions.begin() as session:
        return store.quarantine.hold(
            session, mail_from="care@example.com", rcpts=["alice@cust.test", "bob@cust.test"],
            body=body, verdict=VERDICT, actor="gateway:test", spool_id="s1",
        )


def test_body_is_encrypted_at_rest_and_decrypts(make_store: Callable[..., Store]) -> None:
    store = make_store()
    entry_id = hold(store)
    with store.sessions() as session:
        stored = session.scalars(select(QuarantineEntry.body)).one()
    assert b"D1234567" not in stored and BODY not in stored
    assert store.quarantine.body(entry_id) == BODY


def test_another_key_cannot_read_the_body(make_store: Callable[..., Store]) -> None:
    entry_id = hold(make_store("gw1"))
    other = make_store("gw2", key=b"\x01" * 32)
    with pytest.raises(StoreError, match="does not decrypt"):
        other.quarantine.body(entry_id)


def test_listing_masks_addresses_and_names_rules(make_store: Callable[..., Store]) -> None:
    store = make_store()
    entry_id = hold(store)
    (entry,) = store.quarantine.list()
    assert entry.id == entry_id and entry.rules == ["cross_customer"]
    assert entry.mail_from == "c***@example.com"
    assert entry.rcpts == ["a***@cust.test", "b***@cust.test"]
    assert "alice" not in json.dumps(entry.as_dict())


def test_release_queues_original_bytes_and_is_audited(make_store: Callable[..., Store]) -> None:
    store = make_store()
    entry_id = hold(store)
    spool_id = store.quarantine.release(entry_id, actor="cli:rev", reason="customer asked")
    assert store.spool.body(spool_id) == BODY
    (item,) = store.spool.claim("gw1", 10, 60)
    assert item.id == spool_id and item.rcpts == ["alice@cust.test", "bob@cust.test"]
    assert store.quarantine.show(entry_id).state == "released"
    events = [(e.event, json.loads(e.payload)) for e in store.audit.entries()]
    assert [name for name, _ in events] == ["quarantine.hold", "quarantine.release"]
    assert events[1][1]["reason"] == "customer asked"
    assert "alice@cust.test" not in json.dumps(events)
    assert store.audit.verify_chain() is None


def test_a_released_body_waits_sealed_in_the_spool(make_store: Callable[..., Store]) -> None:
    store = make_store()
    spool_id = store.quarantine.release(hold(store), actor="cli:rev", reason="customer asked")
    with store.sessions() as session:
        sealed = session.scalars(select(SpoolEntry.body).where(SpoolEntry.id == spool_id)).one()
    assert sealed is not None and b"D1234567" not in sealed and b"care@example.com" not in sealed
    (item,) = store.spool.claim("gw1", 10, 60)
    assert store.spool.load(item) == BODY
    keyless = make_store("gw2", key=None)
    with pytest.raises(StoreError, match="needs the index key"):
        keyless.spool.load(item)
    with pytest.raises(StoreError, match="does not decrypt"):
        make_store("gw3", key=bytes(32)).spool.load(item)


def test_decisions_need_a_reason_and_happen_once(make_store: Callable[..., Store]) -> None:
    store = make_store()
    entry_id = hold(store)
    with pytest.raises(StoreError, match="reason"):
        store.quarantine.discard(entry_id, actor="cli:rev", reason="  ")
    store.quarantine.discard(entry_id, actor="cli:rev", reason="really a leak")
    with pytest.raises(StoreError, match="already discarded"):
        store.quarantine.release(entry_id, actor="cli:rev", reason="changed my mind")
    assert store.quarantine.list() == []
    assert store.quarantine.list(state="discarded")[0].reason == "really a leak"


def test_unknown_entry_is_a_store_error(make_store: Callable[..., Store]) -> None:
    with pytest.raises(StoreError, match="no quarantine entry"):
        make_store().quarantine.show("nope")


def test_quarantine_without_key_refuses_to_hold(make_store: Callable[..., Store]) -> None:
    with pytest.raises(StoreError, match="index key"):
        hold(make_store(key=None))


def test_no_plain_body_in_the_database_wal_or_shm(tmp_path: Path) -> None:
    """Hold, release and deliver; the database files never hold the body in plain text."""
    database = tmp_path / "store.db"
    store = Store(StoreSettings(url=f"sqlite:///{database}", spool_dir=tmp_path / "spool"),
                  secret_key=bytes(range(32)))
    try:
        spool_id = store.quarantine.release(hold(store), actor="cli:rev", reason="ok")
        (item,) = store.spool.claim("gw1", 10, 60)
        assert store.spool.load(item) == BODY and store.spool.finish(spool_id, "gw1")
        files = {name: (tmp_path / name).read_bytes()
                 for name in ("store.db", "store.db-wal", "store.db-shm")}
    finally:
        store.close()
    assert all(files.values()), "the WAL and -shm exist while the store is open"
    for name, data in files.items():
        for needle in (b"D1234567", b"belongs to Bob", b"licence"):
            assert needle not in data, f"{needle!r} in {name}"
