"""Live reload in a running gateway: a list added to the virtual file is enforced within
``routing.reload_seconds``; the index replaced under ~50 msg/s fails no check."""

from __future__ import annotations

import dataclasses
import os
import smtplib
import threading
import time
from pathlib import Path

import pytest
from tests.integration.support.gateway import Sink, gateway_settings, mail
from tests.integration.support.net import wait_until

from crossguard.config import Settings
from crossguard.gateway.server import BackgroundGateway, Gateway
from crossguard.index.build import build_index
from crossguard.index.customer_input import read_customers
from crossguard.reload import LiveGuard
from crossguard.store.store import Store
from crossguard.synth.customers import Customer, generate_customers, write_customers_csv

pytestmark = [pytest.mark.integration, pytest.mark.slow]
KEY = "5eed" * 16  # tests/conftest.py's key, set in $CROSSGUARD_KEY for every test
RELOAD_SECONDS = 0.5


def settings_for(tmp_path: Path, sink: Sink, **policy: object) -> Settings:
    settings = gateway_settings(f"sqlite:///{tmp_path / 'store.db'}", tmp_path / "spool",
                                sink.port)
    return settings.model_copy(update={
        "policy": settings.policy.model_copy(update={"company_domains": ["example.com"],
                                                     **policy}),
        "routing": settings.routing.model_copy(update={"reload_seconds": RELOAD_SECONDS}),
    })


def start_live(settings: Settings) -> tuple[BackgroundGateway, LiveGuard]:
    store = Store.from_settings(settings, instance="gw-reload")
    live = LiveGuard(settings, counter=store.counter)
    runner = BackgroundGateway(Gateway(settings.gateway, live, store,
                                       store_pool=settings.store.pool_size))
    runner.start()
    live.start_watching()
    return runner, live


def held(runner: BackgroundGateway) -> int:
    return len(runner.gateway.store.quarantine.list())


def test_list_added_to_the_virtual_file_is_enforced_within_reload_seconds(
    tmp_path: Path,
) -> None:
    virtual = tmp_path / "virtual"
    virtual.write_text("team@example.com agent1@example.com\n", encoding="utf-8")
    sink = Sink().start()
    runner, live = start_live(settings_for(tmp_path, sink, directory=[virtual]))
    extra = "Reply-To: news@example.com\r\n"
    try:
        with smtplib.SMTP("127.0.0.1", runner.gateway.port, timeout=30) as client:
            client.sendmail("care@example.com", ["alice@cust.test"],
                            mail("before@example.com", ["alice@cust.test"], extra=extra))
        assert sink.wait_for(1) and held(runner) == 0
        staged = tmp_path / "virtual.tmp"
        staged.write_text("team@example.com agent1@example.com\n"
                          "news@example.com alice@cust.test, bob@other.test, c@third.test\n",
                          encoding="utf-8")
        os.replace(staged, virtual)
        changed = time.monotonic()
        assert wait_until(lambda: live.reloads == 1, timeout=RELOAD_SECONDS * 4)
        took = time.monotonic() - changed
        with smtplib.SMTP("127.0.0.1", runner.gateway.port, timeout=30) as client:
            client.sendmail("care@example.com", ["alice@cust.test"],
                            mail("after@example.com", ["alice@cust.test"], extra=extra))
        assert wait_until(lambda: held(runner) == 1)
        [entry] = runner.gateway.store.quarantine.list()
        assert entry.rules == ["reply_path"] and entry.message_id == "<after@example.com>"
        assert took <= RELOAD_SECONDS * 2, took
    finally:
        live.stop_watching()
        runner.stop()
        sink.stop()


def replace_index(customers: list[Customer], folder: Path, index: Path) -> None:
    csv_path = write_customers_csv(customers, folder / "customers-new.csv")
    build_index(read_customers(csv_path), index, bytes.fromhex(KEY))


def test_index_replaced_under_load_fails_no_check(tmp_path: Path, built_index: Path,
                                                  customers: list[Customer]) -> None:
    index = tmp_path / "index"
    replace_index(customers, tmp_path, index)  # the session's customers, in a folder we own
    newcomer = dataclasses.replace(generate_customers(1, seed=9001)[0], customer_id="C9000001")
    sink = Sink().start()
    settings = settings_for(tmp_path, sink)
    settings = settings.model_copy(update={"index": settings.index.model_copy(
        update={"path": index})})
    runner, live = start_live(settings)
    replies: list[int] = []
    lock = threading.Lock()
    rate, seconds, senders = 50, 8, 2

    def load(worker: int) -> None:
        per_sender = rate // senders
        with smtplib.SMTP("127.0.0.1", runner.gateway.port, timeout=30) as client:
            client.ehlo()
            start = time.monotonic()
            for n in range(per_sender * seconds):
                time.sleep(max(0.0, start + n / per_sender - time.monotonic()))
                rcpt = customers[(n + worker) % 50].email
                client.mail("care@example.com")
                client.rcpt(rcpt)
                code, _ = client.data(mail(f"load-{worker}-{n}@example.com", [rcpt]))
                with lock:
                    replies.append(code)

    try:
        threads = [threading.Thread(target=load, args=(worker,)) for worker in range(senders)]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(2)
        replace_index([*customers, newcomer], tmp_path, index)
        assert wait_until(lambda: live.reloads >= 1, timeout=10), live.last_error
        assert time.monotonic() - began < seconds, "the swap happened while the load ran"
        for thread in threads:
            thread.join(60)
        elapsed = time.monotonic() - began
        assert len(replies) == rate * seconds
        assert set(replies) == {250}, "no check failed or timed out during the swap"
        assert len(replies) / elapsed >= 40, f"load was {len(replies) / elapsed:.1f} msg/s"
        # the new index is the one checking now: the newcomer's data to someone else is held
        reader = customers[0]
        body = f"Details: {newcomer.email}, phone {newcomer.phone}.\r\n"
        with smtplib.SMTP("127.0.0.1", runner.gateway.port, timeout=30) as client:
            client.sendmail("care@example.com", [reader.email],
                            mail("newcomer@example.com", [reader.email], body=body))
        def newcomer_held() -> list[str]:  # bulk_send may hold some of the load's template
            return [rule for entry in runner.gateway.store.quarantine.list()
                    if entry.message_id == "<newcomer@example.com>" for rule in entry.rules]

        assert wait_until(lambda: newcomer_held() != [])
        assert "cross_customer" in newcomer_held()
    finally:
        live.stop_watching()
        runner.stop()
        sink.stop()
