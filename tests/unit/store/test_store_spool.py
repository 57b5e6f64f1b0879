"""The spool: durable bodies, exclusive claims across instances, retries, recovery, dedupe."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from crossguard.store.models import SpoolEntry
from crossguard.store.spool import envelope_digest
from crossguard.store.store import Store

BODY = b"Subject: hi\r\n\r\nhello\r\n"


def receive(store: Store, rcpts: list[str] | None = None, body: bytes = BODY) -> str:
    rcpts = rcpts or ["a@x.test"]
    return store.spool.receive("s@example.com", rcpts, body,
                               envelope_digest("s@example.com", rcpts, body))


def queue(store: Store, spool_id: str) -> None:
    with store.sessions.begin() as session:
        store.spool.set_state(session, spool_id, "queued")


def test_received_body_is_on_disk_before_the_row(make_store: Callable[..., Store]) -> None:
    store = make_store()
    spool_id = receive(store)
    path = store.spool.dir / f"{spool_id}.eml"
    assert path.read_bytes() == BODY
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert store.spool.counts() == {"received": 1}


def test_claims_are_exclusive_between_instances(make_store: Callable[..., Store]) -> None:
    one, two = make_store("gw1"), make_store("gw2")
    ids = [receive(one, body=BODY + bytes([n])) for n in range(6)]
    for spool_id in ids:
        queue(one, spool_id)
    first = one.spool.claim("gw1", 4, 60)
    second = two.spool.claim("gw2", 10, 60)
    assert len(first) == 4 and len(second) == 2
    assert {i.id for i in first} | {i.id for i in second} == set(ids)
    assert two.spool.claim("gw2", 10, 60) == []


def test_expired_lease_is_claimed_again(make_store: Callable[..., Store]) -> None:
    one, two = make_store("gw1"), make_store("gw2")
    spool_id = receive(one)
    queue(one, spool_id)
    assert one.spool.claim("gw1", 1, lease_seconds=-1)
    (again,) = two.spool.claim("gw2", 1, 60)
    assert again.id == spool_id and again.attempts == 2
    assert not one.spool.finish(spool_id, "gw1"), "a lost claim cannot finish"
    assert two.spool.finish(spool_id, "gw2")


def test_partial_retry_keeps_only_remaining_recipients(make_store: Callable[..., Store]) -> None:
    store = make_store()
    spool_id = receive(store, ["a@x.test", "b@x.test", "c@x.test"])
    queue(store, spool_id)
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
    queue(store, spool_id)
    store.spool.claim("gw1", 1, 60)
    store.spool.retry(spool_id, "gw1", ["a@x.test"], [], 3600.0, "upstream down")
    assert store.spool.claim("gw1", 1, 60) == []


def test_recover_abandons_undecided_and_requeues_claimed(make_store: Callable[..., Store]) -> None:
    store = make_store("gw1")
    undecided = receive(store, body=b"1")
    claimed = receive(store, body=b"2")
    queue(store, claimed)
    store.spool.claim("gw1", 1, 600)
    other = make_store("gw2")
    foreign = receive(other, body=b"3")
    assert store.spool.recover() == {"abandoned": 1, "requeued": 1}
    assert not (store.spool.dir / f"{undecided}.eml").exists()
    (item,) = store.spool.claim("gw1", 5, 60)
    assert item.id == claimed
    with store.sessions() as session:
        assert session.get_one(SpoolEntry, foreign).state == "received"


def test_duplicates_are_found_only_once_accepted(make_store: Callable[..., Store]) -> None:
    store = make_store()
    digest = envelope_digest("s@example.com", ["a@x.test"], BODY)
    spool_id = receive(store)
    assert store.spool.find_accepted(digest, 0) is None
    queue(store, spool_id)
    assert store.spool.find_accepted(digest, 0) == spool_id
    assert store.spool.find_accepted(digest, time.time() + 1) is None
    assert envelope_digest("s@example.com", ["A@x.test"], BODY) == digest
    assert envelope_digest("s@example.com", ["b@x.test"], BODY) != digest


def test_drop_leaves_decided_rows_alone(make_store: Callable[..., Store]) -> None:
    store = make_store()
    spool_id = receive(store)
    queue(store, spool_id)
    assert not store.spool.drop(spool_id, "abandoned")
    assert store.spool.body(spool_id) == BODY


def test_reads_do_not_wait_for_an_open_writer(make_store: Callable[..., Store]) -> None:
    store = make_store()
    spool_id = receive(store)
    with store.sessions.begin() as writer:
        store.spool.set_state(writer, spool_id, "queued")
        started = time.monotonic()
        assert store.spool.counts() == {"received": 1}, "readers see the last commit"
        assert store.spool.body(spool_id) == BODY
        assert time.monotonic() - started < 5.0
    assert store.spool.counts() == {"queued": 1}
