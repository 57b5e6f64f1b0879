"""Retention: after store.quarantine_days no body is kept; the purge is audited."""

from __future__ import annotations

import time
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import update

from crossguard.cli.root import cli
from crossguard.policy.verdict import RuleResult, Verdict
from crossguard.store.models import QuarantineEntry
from crossguard.store.retention import DAY, purge
from crossguard.store.settings import StoreSettings
from crossguard.store.store import Store

HELD = Verdict("quarantine", [RuleResult("cross_customer", "quarantine", "critical", "x")])


def hold(store: Store, body: bytes) -> str:
    entry = store.record(HELD, body, mail_from="care@example.com", rcpts=["a@cust.test"],
                         actor="test", event="message.quarantine")
    assert entry is not None
    return entry


def test_purge_empties_old_bodies_and_audits(tmp_path: Path) -> None:
    store = Store(StoreSettings(url=f"sqlite:///{tmp_path / 's.db'}",
                                spool_dir=tmp_path / "spool"), secret_key=b"k" * 32)
    try:
        old, released = hold(store, b"Subject: a\r\n\r\nold\r\n"), hold(store, b"b")
        store.quarantine.release(released, actor="test", reason="fine")
        with store.sessions.begin() as session:  # these two were held 31 days ago
            session.execute(update(QuarantineEntry)
                            .where(QuarantineEntry.id.in_([old, released]))
                            .values(created_at=time.time() - 31 * DAY))
        fresh = hold(store, b"Subject: c\r\n\r\nfresh\r\n")
        purged = purge(store.sessions, 30, actor="test")
        assert sorted(purged.expired) == sorted([old])  # the released one stays released
        assert purged.bodies == 2 and purged.spool_bodies == 0  # released body in spool: queued
        assert store.quarantine.show(old).state == "expired"
        assert store.quarantine.show(released).state == "released"
        assert store.quarantine.show(fresh).state == "held"
        assert store.quarantine.body(fresh) == b"Subject: c\r\n\r\nfresh\r\n"
        entry = store.audit.entries()[-1]
        assert entry.event == "quarantine.purge" and old in entry.payload
        assert store.audit.verify().ok
        again = purge(store.sessions, 30, actor="test")
        assert (again.expired, again.bodies) == ([], 0), "nothing left to purge"
        assert store.audit.entries()[-1].event == "quarantine.purge"
        assert len([e for e in store.audit.entries() if e.event == "quarantine.purge"]) == 1
    finally:
        store.close()


def test_purge_command(tmp_path: Path) -> None:
    config = tmp_path / "crossguard.toml"
    config.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "s.db"}"\n'
                      f'spool_dir = "{tmp_path / "spool"}"\nquarantine_days = 7\n',
                      encoding="utf-8")
    store = Store(StoreSettings(url=f"sqlite:///{tmp_path / 's.db'}",
                                spool_dir=tmp_path / "spool"), secret_key=b"k" * 32)
    try:
        hold(store, b"x")
    finally:
        store.close()
    kept = CliRunner().invoke(cli, ["quarantine", "purge", "--json", "--config", str(config)])
    assert kept.exit_code == 0, kept.output
    assert '"bodies": 0' in kept.output
    time.sleep(0.2)  # --days 0.000001 is 86 ms: let the entry grow older than that
    gone = CliRunner().invoke(cli, ["quarantine", "purge", "--days", "0.000001", "--json",
                                    "--config", str(config)])
    assert gone.exit_code == 0 and '"bodies": 1' in gone.output
