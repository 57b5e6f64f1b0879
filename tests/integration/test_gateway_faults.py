"""No accepted message is stuck or lost: bad envelope addresses, relay faults, a full disk."""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import os
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from tests.integration.support.gateway import (
    MakeDatabase,
    MakeGateway,
    MakeSink,
    Sink,
    gateway_settings,
    mail,
)
from tests.integration.support.net import wait_until

from crossguard.store.models import AuditEntry, SpoolEntry
from crossguard.store.spool import envelope_digest
from crossguard.store.store import Store

pytestmark = pytest.mark.integration


def converse(port: int, *commands: bytes) -> list[bytes]:
    """Send raw command lines one at a time; each reply line (greeting first)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        reader = conn.makefile("rb")
        replies = [reader.readline()]
        for command in commands:
            conn.sendall(command + b"\r\n")
            reply = reader.readline()
            while reply[3:4] == b"-":  # multi-line (EHLO)
                reply = reader.readline()
            replies.append(reply)
        return replies


def states(store: Store) -> dict[str, int]:
    return store.spool.counts()


def events(store: Store, name: str) -> list[dict[str, Any]]:
    with store.reads() as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.event == name)).all()
        return [json.loads(row.payload) for row in rows]


@pytest.fixture
def never_retrieved(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fail the test if asyncio reports a task exception nobody retrieved."""
    caplog.set_level(logging.ERROR, logger="asyncio")
    yield
    gc.collect()
    lost = [r.getMessage() for r in caplog.records if r.name == "asyncio"]
    assert not lost, lost


@pytest.mark.parametrize("bad", [b"ctl\x01x@example.com", b"nul\x00x@example.com",
                                 b"cr\rx@example.com", b"del\x7fx@example.com",
                                 "c1\u0085x@example.com".encode()])
def test_control_character_rcpt_gets_5xx_at_rcpt_and_co_recipient_gets_the_mail(
        tmp_path: Path, sink: Sink, make_database: MakeDatabase, make_gateway: MakeGateway,
        never_retrieved: None, bad: bytes) -> None:
    settings = gateway_settings(make_database("sqlite"), tmp_path / "spool", sink.port)
    runner = make_gateway(settings)
    message = mail("ctl-1@example.com", ["alice@cust.test"]).replace(b"\r\n.", b"\r\n..")
    replies = converse(runner.gateway.port, b"EHLO client.test", b"MAIL FROM:<care@example.com>",
                       b"RCPT TO:<alice@cust.test>", b"RCPT TO:<" + bad + b">", b"DATA",
                       message + b".")
    assert replies[3].startswith(b"250")
    assert replies[4].startswith(b"553 5.1.3"), replies[4]
    assert replies[6].startswith(b"250 2.0.0 queued as"), replies[6]
    assert sink.wait_for(1)
    assert sink.messages[0][1] == ["alice@cust.test"]
    store = runner.gateway.store
    assert wait_until(lambda: states(store) == {"delivered": 1}), states(store)


@pytest.mark.parametrize("bad", [b"ctl\x01x@example.com", b"nul\x00x@example.com"])
def test_control_character_mail_from_gets_553_at_mail(
        tmp_path: Path, sink: Sink, make_database: MakeDatabase, make_gateway: MakeGateway,
        bad: bytes) -> None:
    settings = gateway_settings(make_database("sqlite"), tmp_path / "spool", sink.port)
    runner = make_gateway(settings)
    replies = converse(runner.gateway.port, b"EHLO client.test", b"MAIL FROM:<" + bad + b">",
                       b"RCPT TO:<alice@cust.test>")
    assert replies[2].startswith(b"553 5.1.3"), replies[2]
    assert replies[3].startswith(b"503"), "no transaction was started"
    assert states(runner.gateway.store) == {}


def spool_directly(store: Store, mail_from: str, rcpts: list[str], body: bytes) -> str:
    """A queued row as a spool written before the MAIL/RCPT check (or by another path) has it."""
    spool_id = store.spool.write(body)
    digest = envelope_digest(mail_from, rcpts, body)
    with store.engine.begin() as connection:
        store.spool.record(connection, spool_id, mail_from=mail_from, rcpts=rcpts,
                           digest=digest, state="queued")
    return spool_id


def test_spooled_unsendable_recipient_fails_alone_audited_never_stuck_relaying(
        tmp_path: Path, sink: Sink, make_database: MakeDatabase, make_gateway: MakeGateway,
        never_retrieved: None) -> None:
    settings = gateway_settings(make_database("sqlite"), tmp_path / "spool", sink.port)
    runner = make_gateway(settings)
    store = runner.gateway.store
    body = mail("ctl-2@example.com", ["alice@cust.test"])
    spool_id = spool_directly(store, "care@example.com",
                              ["alice@cust.test", "ctl\x01x@example.com"], body)
    runner.gateway.relay.wake()
    assert sink.wait_for(1)
    assert sink.messages[0][1] == ["alice@cust.test"]
    assert wait_until(lambda: states(store) == {"failed": 1}), states(store)
    failed = events(store, "relay.failed")
    assert [(e["spool_id"], e["error"]) for e in failed] == [(spool_id, "invalid address")]
    assert "ctl" not in json.dumps(failed), "audited masked"
    with store.reads() as session:
        row = session.get_one(SpoolEntry, spool_id)
        assert json.loads(row.failed_rcpts) == ["ctl\x01x@example.com"]


def test_spooled_unsendable_sender_fails_the_row_audited(
        tmp_path: Path, sink: Sink, make_database: MakeDatabase, make_gateway: MakeGateway,
        never_retrieved: None) -> None:
    settings = gateway_settings(make_database("sqlite"), tmp_path / "spool", sink.port)
    runner = make_gateway(settings)
    store = runner.gateway.store
    spool_directly(store, "bad\x00@example.com", ["alice@cust.test"],
                   mail("ctl-3@example.com", ["alice@cust.test"]))
    runner.gateway.relay.wake()
    assert wait_until(lambda: states(store) == {"failed": 1}), states(store)
    assert len(events(store, "relay.failed")) == 1
    assert sink.messages == []


class HeldSink(Sink):
    """A sink that holds every DATA until ``release`` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        while not self.release.is_set():
            await asyncio.sleep(0.02)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """An 8 MiB tmpfs (this test runs as root, as CI does), unmounted at teardown."""
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", str(mount)],
                   check=True)
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)


def fill(folder: Path) -> Path:
    """Write zeros into ``folder`` until the file system has no space left."""
    filler = folder / "filler"
    with filler.open("wb") as file, pytest.raises(OSError) as full:
        while True:
            file.write(b"\0" * 65536)
            file.flush()
    assert full.value.errno == 28  # ENOSPC
    return filler


def test_full_disk_settles_in_flight_mail_within_poll_seconds_not_the_lease(
        tiny_disk: Path, make_sink: MakeSink, make_gateway: MakeGateway,
        never_retrieved: None) -> None:
    sink = HeldSink()
    make_sink(sink.port, start=False)  # registered for teardown; started below
    sink.start()
    try:
        settings = gateway_settings(f"sqlite:///{tiny_disk / 'store.db'}", tiny_disk / "spool",
                                    sink.port, poll_seconds=0.2, lease_seconds=600)
        runner = make_gateway(settings)
        store = runner.gateway.store
        for number in range(5):
            replies = converse(runner.gateway.port, b"EHLO c.test",
                               b"MAIL FROM:<care@example.com>", b"RCPT TO:<alice@cust.test>",
                               b"DATA", mail(f"disk-{number}@example.com", ["alice@cust.test"])
                               + b".")
            assert replies[-1].startswith(b"250 2.0.0"), replies[-1]
        assert wait_until(lambda: states(store) == {"relaying": 5}), states(store)
        filler = fill(tiny_disk)
        sink.release.set()
        assert sink.wait_for(5)
        # The outcomes cannot be written: the rows stay claimed while the disk is full.
        assert states(store) == {"relaying": 5}
        os.unlink(filler)
        # Within a few polls (0.2 s each), far inside the 600 s lease.
        assert wait_until(lambda: states(store) == {"delivered": 5}, timeout=10), states(store)
        assert len(sink.messages) == 5, "nothing sent twice"
    finally:
        sink.stop()
