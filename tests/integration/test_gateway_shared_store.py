"""Several gateways, one PostgreSQL store: shared quarantine, audit chain and bulk-send state."""

from __future__ import annotations

import smtplib
import threading
from pathlib import Path

import pytest
from tests.integration.support.gateway import (
    MakeDatabase,
    MakeGateway,
    Sink,
    gateway_settings,
    mail,
    with_rule,
)
from tests.integration.support.net import wait_until

from crossguard.gateway.server import BackgroundGateway
from crossguard.store.store import Store

pytestmark = [pytest.mark.integration, pytest.mark.postgres]


@pytest.fixture
def pair(tmp_path: Path, sink: Sink, make_database: MakeDatabase, make_gateway: MakeGateway
         ) -> tuple[BackgroundGateway, BackgroundGateway, Sink]:
    """Two gateway instances on one PostgreSQL schema, relaying to one sink."""
    url = make_database("postgres")
    settings = [gateway_settings(url, tmp_path / f"spool-{n}", sink.port) for n in (1, 2)]
    limited = [with_rule(item, "bulk_send", max_template_recipients=3) for item in settings]
    return make_gateway(limited[0], "gw1"), make_gateway(limited[1], "gw2"), sink


def send(port: int, message: bytes, rcpts: list[str], sender: str = "care@example.com") -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.sendmail(sender, rcpts, message)


def test_bulk_send_counts_a_template_across_instances(
    pair: tuple[BackgroundGateway, BackgroundGateway, Sink],
) -> None:
    one, two, sink = pair
    send(one.gateway.port, mail("b1@example.com", ["c1@cust.test"]), ["c1@cust.test"])
    send(one.gateway.port, mail("b2@example.com", ["c2@cust.test"]), ["c2@cust.test"])
    send(two.gateway.port, mail("b3@example.com", ["c3@cust.test"]), ["c3@cust.test"])
    send(two.gateway.port, mail("b4@example.com", ["c4@cust.test"]), ["c4@cust.test"])
    assert sink.wait_for(3)
    store: Store = one.gateway.store
    assert wait_until(lambda: len(store.quarantine.list()) == 1)
    (held,) = store.quarantine.list()
    assert held.rules == ["bulk_send"] and held.message_id == "<b4@example.com>"
    assert sorted(sink.message_ids()) == ["<b1@example.com>", "<b2@example.com>",
                                          "<b3@example.com>"]


def test_concurrent_holds_share_quarantine_and_one_chain(
    pair: tuple[BackgroundGateway, BackgroundGateway, Sink],
) -> None:
    one, two, _ = pair
    errors: list[BaseException] = []

    def client(port: int, name: str) -> None:
        try:
            for n in range(10):
                rcpts = [f"{name}{n}a@cust.test", f"{name}{n}b@other.test"]
                send(port, mail(f"{name}-{n}@example.com", rcpts), rcpts,
                     sender=f"{name}{n}@example.com")
        except BaseException as error:  # surfaced by the assert below
            errors.append(error)

    threads = [threading.Thread(target=client, args=(runner.gateway.port, f"c{i}"))
               for i, runner in enumerate([one, two, one, two])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for runner in (one, two):
        assert len(runner.gateway.store.quarantine.list(limit=500)) == 40
    report = two.gateway.store.audit.verify()
    assert report.ok and report.entries == 40 and report.head_seq == 40
    actors = {entry.actor for entry in one.gateway.store.audit.entries(limit=100)}
    assert actors == {"gateway:gw1", "gateway:gw2"}
