"""Store.record: one decision is a quarantine hold or an audit entry, written in one transaction."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from crossguard.errors import StoreError
from crossguard.policy.verdict import RuleResult, Verdict
from crossguard.store.models import AuditEntry, QuarantineEntry
from crossguard.store.store import Store

BODY = b"From: care@example.com\r\nTo: alice@cust.test\r\n\r\nlicence D1234567 of Bob\r\n"
RCPTS = ["alice@cust.test", "bob@cust.test"]


def verdict(action: str = "quarantine") -> Verdict:
    rule = RuleResult("cross_customer", action, "critical", "data of 1 customer",
                      customers=("C1",))
    return Verdict(action, [rule], message_id="<m1@example.com>")


def events(store: Store) -> list[tuple[str, str, dict[str, Any]]]:
    return [(row.actor, row.event, json.loads(row.payload)) for row in store.audit.entries()]


def record(store: Store, decided: Verdict, **options: Any) -> str | None:
    return store.record(decided, BODY, mail_from="care@example.com", rcpts=RCPTS,
                        actor="api:tester", event="api.check", **options)


def test_a_quarantine_verdict_is_held_encrypted_and_audited(
        make_store: Callable[..., Store]) -> None:
    store = make_store()
    entry_id = record(store, verdict())
    assert entry_id is not None
    assert store.quarantine.body(entry_id) == BODY
    held = store.quarantine.show(entry_id)
    assert held.rules == ["cross_customer"] and held.rcpts == ["a***@cust.test", "b***@cust.test"]
    ((actor, event, payload),) = events(store)
    assert (actor, event) == ("api:tester", "quarantine.hold")
    assert payload["quarantine_id"] == entry_id and payload["mail_from"] == "c***@example.com"
    assert store.audit.verify_chain() is None


def test_a_check_not_held_is_audited_with_masked_addresses(
        make_store: Callable[..., Store]) -> None:
    store = make_store()
    assert record(store, verdict("allow")) is None
    ((_, event, payload),) = events(store)
    assert event == "api.check"
    assert payload == {"action": "allow", "rules": ["cross_customer"],
                       "mail_from": "c***@example.com",
                       "rcpts": ["a***@cust.test", "b***@cust.test"]}
    assert "alice" not in json.dumps(payload)


def test_hold_false_audits_a_quarantine_verdict_instead(make_store: Callable[..., Store]) -> None:
    store = make_store()
    assert record(store, verdict(), hold=False) is None
    assert [event for _, event, _ in events(store)] == ["api.check"]
    assert store.quarantine.list() == []


def test_audit_false_records_nothing_unless_held(make_store: Callable[..., Store]) -> None:
    store = make_store()
    assert record(store, verdict("allow"), audit=False) is None
    assert events(store) == []
    assert record(store, verdict(), audit=False) is not None
    assert [event for _, event, _ in events(store)] == ["quarantine.hold"]


def test_the_action_taken_and_spool_id_go_in_the_payload(make_store: Callable[..., Store]) -> None:
    store = make_store()
    record(store, verdict("redact"), action="quarantine", hold=False, spool_id="s1")
    ((_, _, payload),) = events(store)
    assert payload["action"] == "quarantine" and payload["spool_id"] == "s1"


def test_inside_a_caller_transaction_a_failure_writes_nothing(
        make_store: Callable[..., Store]) -> None:
    store = make_store(key=None)
    with pytest.raises(StoreError, match="index key"), store.engine.begin() as connection:
        store.record(verdict("allow"), BODY, mail_from="care@example.com", rcpts=RCPTS,
                     actor="gateway:gw1", event="message.allow", connection=connection)
        store.record(verdict(), BODY, mail_from="care@example.com", rcpts=RCPTS,
                     actor="gateway:gw1", event="message.quarantine", connection=connection)
    with store.sessions() as session:
        assert session.scalars(select(AuditEntry)).all() == []
        assert session.scalars(select(QuarantineEntry)).all() == []
