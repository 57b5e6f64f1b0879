"""The audit anchor: signed head checkpoints outside the database catch what the chain cannot.

Each attack below rewrites the database consistently (entries, hashes and head), so
the chain alone still verifies; the signed checkpoints must catch every one.
"""

from __future__ import annotations

import socket
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import delete, select, update

from crossguard.cli.root import cli
from crossguard.errors import ConfigError
from crossguard.store.anchor import KEY_NAME, LOG_NAME, AuditAnchor
from crossguard.store.audit import GENESIS, entry_hash
from crossguard.store.models import AuditEntry, AuditHead
from crossguard.store.settings import StoreSettings
from crossguard.store.store import Store


@pytest.fixture
def anchored(store_url: str, tmp_path: Path) -> Iterator[Callable[[], Store]]:
    """Stores on one database whose anchor is a folder outside it."""
    opened: list[Store] = []

    def make() -> Store:
        settings = StoreSettings(url=store_url, spool_dir=tmp_path / "spool",
                                 audit_anchor_dir=tmp_path / "anchor")
        store = Store(settings, secret_key=None, instance="gw1")
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


def _six_entries_checkpointed(store: Store) -> None:
    for n in range(6):
        store.audit.record("tester", "unit.event", {"n": n})
    assert store.checkpoints is not None
    point = store.checkpoints.checkpoint()
    assert point is not None and point.seq == 6


def _verify(store: Store):  # type: ignore[no-untyped-def]
    assert store.checkpoints is not None
    points, problems = store.checkpoints.anchor.read()
    assert problems == []
    return store.audit.verify(points)


def _move_head(session, seq: int, digest: str) -> None:  # type: ignore[no-untyped-def]
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=seq, hash=digest))


def test_truncation_with_the_head_moved_back_is_detected(anchored) -> None:  # type: ignore[no-untyped-def]
    store = anchored()
    _six_entries_checkpointed(store)
    with store.sessions.begin() as session:
        third = session.get_one(AuditEntry, 3)
        session.execute(delete(AuditEntry).where(AuditEntry.seq > 3))
        _move_head(session, 3, third.hash)
    assert store.audit.verify().ok, "the chain alone cannot see this"
    report = _verify(store)
    assert not report.ok and report.first_bad == 4
    assert "entries were deleted" in (report.problem or "")


def test_an_edit_rehashed_to_the_head_is_detected(anchored) -> None:  # type: ignore[no-untyped-def]
    store = anchored()
    _six_entries_checkpointed(store)
    with store.sessions.begin() as session:
        rows = list(session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
        prev = GENESIS
        for row in rows:
            if row.seq == 2:
                row.payload = '{"n":"released by nobody"}'
            row.prev_hash = prev
            row.hash = entry_hash(prev, row.seq, row.ts, row.actor, row.event, row.payload)
            prev = row.hash
        session.flush()
        _move_head(session, rows[-1].seq, prev)
    assert store.audit.verify().ok, "the chain alone cannot see this"
    report = _verify(store)
    assert not report.ok and report.first_bad == 6
    assert "rewritten" in (report.problem or "")


def test_deleting_everything_and_resetting_the_head_is_detected(anchored) -> None:  # type: ignore[no-untyped-def]
    store = anchored()
    _six_entries_checkpointed(store)
    with store.sessions.begin() as session:
        session.execute(delete(AuditEntry))
        _move_head(session, 0, GENESIS)
    assert store.audit.verify().ok, "the chain alone cannot see this"
    report = _verify(store)
    assert not report.ok and "ends at entry 0" in (report.problem or "")


def test_later_checkpoints_of_a_tampered_head_do_not_hide_earlier_ones(anchored) -> None:  # type: ignore[no-untyped-def]
    store = anchored()
    _six_entries_checkpointed(store)
    with store.sessions.begin() as session:
        session.execute(delete(AuditEntry))
        _move_head(session, 0, GENESIS)
    store.audit.record("attacker", "unit.event", {"n": 0})
    assert store.checkpoints is not None and store.checkpoints.checkpoint() is not None
    assert not _verify(store).ok


def test_an_untampered_chain_verifies_against_its_checkpoints(anchored) -> None:  # type: ignore[no-untyped-def]
    store = anchored()
    _six_entries_checkpointed(store)
    store.audit.record("tester", "unit.event", {"n": 6})
    report = _verify(store)
    assert report.ok and report.checkpoints == 1 and report.entries == 7


def test_a_forged_checkpoint_line_is_reported(tmp_path: Path) -> None:
    anchor = AuditAnchor(tmp_path / "anchor")
    anchor.write(5, "ab" * 32, "gw1")
    log = tmp_path / "anchor" / LOG_NAME
    log.write_text(log.read_text().replace('"seq": 5', '"seq": 2'))
    points, problems = anchor.read()
    assert points == [] and problems == [f"{LOG_NAME} line 1: signature does not verify"]


def test_anchor_files_are_private_and_a_readable_key_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "anchor"
    AuditAnchor(folder).write(1, "00" * 32, "gw1")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()} == {0o600}
    (folder / KEY_NAME).chmod(0o644)
    with pytest.raises(ConfigError, match="readable by others"):
        AuditAnchor(folder)


def test_checkpoints_also_go_to_syslog(tmp_path: Path) -> None:
    address = str(tmp_path / "log.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as server:
        server.bind(address)
        server.settimeout(5)
        AuditAnchor(tmp_path / "anchor", syslog=address).write(3, "cd" * 32, "gw1")
        line = server.recv(4096).decode()
    assert "crossguard audit checkpoint" in line and '"seq": 3' in line


def test_cli_verify_names_the_truncation(tmp_path: Path) -> None:
    config = tmp_path / "crossguard.toml"
    config.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "cg.db"}"\n'
                      f'spool_dir = "{tmp_path / "spool"}"\n')
    store = Store(StoreSettings(url=f"sqlite:///{tmp_path / 'cg.db'}",
                                spool_dir=tmp_path / "spool"), secret_key=None)
    for n in range(4):
        store.audit.record("tester", "unit.event", {"n": n})
    store.close()  # signs the head beside the database file
    runner = CliRunner()
    ok = runner.invoke(cli, ["audit", "verify", "--config", str(config)])
    assert ok.exit_code == 0, ok.output
    assert "held against 1 signed checkpoint(s)" in ok.output
    store = Store(StoreSettings(url=f"sqlite:///{tmp_path / 'cg.db'}",
                                spool_dir=tmp_path / "spool"), secret_key=None)
    with store.sessions.begin() as session:
        second = session.get_one(AuditEntry, 2)
        session.execute(delete(AuditEntry).where(AuditEntry.seq > 2))
        _move_head(session, 2, second.hash)
    store.close()  # signs the truncated head too: the earlier checkpoint still convicts it
    broken = runner.invoke(cli, ["audit", "verify", "--config", str(config)])
    assert broken.exit_code == 1
    assert "broken at entry 3" in broken.output and "entries were deleted" in broken.output
