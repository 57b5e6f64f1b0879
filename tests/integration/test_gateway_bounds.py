"""Bounded work per client: recipients, connections, AUTH off the loop, throttled and audited."""

from __future__ import annotations

import json
import smtplib
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from tests.integration.support.gateway import (
    MakeDatabase,
    MakeGateway,
    Sink,
    gateway_settings,
    mail,
    with_rule,
)
from tests.integration.support.net import wait_until

from crossguard.errors import ConfigError
from crossguard.gateway.server import BackgroundGateway, Gateway
from crossguard.scan import Guard
from crossguard.store.models import AuditEntry
from crossguard.store.store import Store

pytestmark = pytest.mark.integration

StartGateway = Callable[..., BackgroundGateway]


@pytest.fixture
def start(tmp_path: Path, sink: Sink, make_database: MakeDatabase,
          make_gateway: MakeGateway) -> StartGateway:
    def run(**gateway: Any) -> BackgroundGateway:
        settings = gateway_settings(make_database("sqlite"), tmp_path / "spool", sink.port,
                                    **gateway)
        return make_gateway(settings)

    return run


def users_file(tmp_path: Path, password: str = "s3cret-pass", **hasher: int) -> Path:
    path = tmp_path / "users"
    path.write_text(f"helpdesk@example.com:{PasswordHasher(**hasher).hash(password)}\n",
                    encoding="utf-8")
    return path


def auth_failures(store: Store) -> list[dict[str, Any]]:
    with store.reads() as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.event == "auth.failed"))
        return [json.loads(row.payload) for row in rows]


def login(port: int, password: str, source: str = "127.0.0.1",
          user: str = "helpdesk@example.com") -> tuple[int, bytes]:
    """One AUTH PLAIN attempt (smtplib's login() would try each mechanism in turn)."""
    with smtplib.SMTP("127.0.0.1", port, timeout=60, source_address=(source, 0)) as client:
        client.ehlo()
        client.user, client.password = user, password
        try:
            return client.auth("PLAIN", client.auth_plain)
        except smtplib.SMTPAuthenticationError as error:
            return error.smtp_code, error.smtp_error


def test_rcpt_past_max_recipients_gets_452_and_the_accepted_ones_get_the_mail(
        start: StartGateway, sink: Sink) -> None:
    runner = start(max_recipients=3)
    rcpts = [f"r{n}@cust.test" for n in range(5)]
    with smtplib.SMTP("127.0.0.1", runner.gateway.port, timeout=30) as client:
        client.ehlo()
        client.mail("care@example.com")
        codes = [client.rcpt(rcpt) for rcpt in rcpts]
        assert [code for code, _ in codes] == [250, 250, 250, 452, 452]
        assert codes[3][1].startswith(b"4.5.3")
        assert client.data(mail("many-1@example.com", ["team@example.com"]))[0] == 250
    assert sink.wait_for(1)
    assert sink.messages[0][1] == rcpts[:3]


def greeting(sock: socket.socket) -> bytes:
    return sock.makefile("rb").readline()


def test_connections_past_the_per_client_limit_get_421(start: StartGateway) -> None:
    runner = start(max_connections_per_client=3)
    port = runner.gateway.port
    held = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(3)]
    try:
        assert all(greeting(sock).startswith(b"220") for sock in held)
        with socket.create_connection(("127.0.0.1", port), timeout=30) as extra:
            assert greeting(extra).startswith(b"421 4.7.0")
        # another client address is counted on its own
        with socket.create_connection(("127.0.0.1", port), timeout=30,
                                      source_address=("127.0.0.2", 0)) as other:
            assert greeting(other).startswith(b"220")
        held.pop().close()

        def admitted() -> bool:
            with socket.create_connection(("127.0.0.1", port), timeout=30) as again:
                return greeting(again).startswith(b"220")

        assert wait_until(admitted), "a closed connection frees its place"
    finally:
        for sock in held:
            sock.close()


def test_connections_past_the_total_limit_get_421(start: StartGateway) -> None:
    runner = start(max_connections=2)
    port = runner.gateway.port
    held = [socket.create_connection(("127.0.0.1", port), timeout=30,
                                     source_address=(f"127.0.0.{n}", 0)) for n in (3, 4)]
    try:
        assert all(greeting(sock).startswith(b"220") for sock in held)
        with socket.create_connection(("127.0.0.1", port), timeout=30,
                                      source_address=("127.0.0.5", 0)) as extra:
            assert greeting(extra).startswith(b"421")
    finally:
        for sock in held:
            sock.close()


def test_auth_without_tls_refuses_to_start(tmp_path: Path, sink: Sink,
                                           make_database: MakeDatabase) -> None:
    settings = gateway_settings(make_database("sqlite"), tmp_path / "spool", sink.port,
                                auth_file=str(users_file(tmp_path)))
    store = Store.from_settings(settings, instance="gw1")
    runner = BackgroundGateway(Gateway(settings.gateway, Guard.from_settings(settings), store,
                                       store_pool=1))
    with pytest.raises(ConfigError, match=r"gateway.auth_file: .*gateway.tls_cert"):
        runner.start()
    runner.stop()


def test_auth_without_tls_works_only_when_asked_for_on_loopback(
        tmp_path: Path, start: StartGateway) -> None:
    runner = start(auth_file=str(users_file(tmp_path)), auth_plaintext_loopback=True)
    assert login(runner.gateway.port, "s3cret-pass")[0] == 235


def test_password_hashing_runs_off_the_event_loop(tmp_path: Path, start: StartGateway) -> None:
    """While one slow argon2 check runs, another client is greeted and answered at once."""
    users = users_file(tmp_path, time_cost=20, memory_cost=65536, parallelism=1)
    runner = start(auth_file=str(users), auth_plaintext_loopback=True,
                   auth_failure_delay_seconds=0)
    port = runner.gateway.port
    done: dict[str, float] = {}

    def guess() -> None:
        login(port, "wrong")
        done["auth"] = time.monotonic()

    guesser = threading.Thread(target=guess)
    guesser.start()
    time.sleep(0.3)  # the AUTH is being checked now
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as client:
        assert client.ehlo()[0] == 250
        done["ehlo"] = time.monotonic()
    guesser.join(60)
    assert done["ehlo"] < done["auth"], "EHLO waited for the password check"


def test_failed_auth_is_throttled_per_client_address_with_454_and_audited(
        tmp_path: Path, start: StartGateway) -> None:
    runner = start(auth_file=str(users_file(tmp_path)), auth_plaintext_loopback=True,
                   auth_max_failures=3, auth_failure_delay_seconds=0.05)
    port = runner.gateway.port
    guesses = [login(port, f"guess-{n}", user=f"u{n}@example.com") for n in range(3)]
    assert [code for code, _ in guesses] == [535, 535, 535]
    code, text = login(port, "s3cret-pass")  # right password, but this address is throttled
    assert (code, text[:5]) == (454, b"4.7.0")
    assert login(port, "s3cret-pass", source="127.0.0.9")[0] == 235
    failures = auth_failures(runner.gateway.store)
    assert [f["reason"] for f in failures] == ["invalid"] * 3 + ["throttled"]
    assert {f["client"] for f in failures} == {"127.0.0.1"}
    assert failures[0]["account"] == "u***@example.com", "the account is masked"


def test_failed_auth_is_throttled_per_account_across_addresses(
        tmp_path: Path, start: StartGateway) -> None:
    runner = start(auth_file=str(users_file(tmp_path)), auth_plaintext_loopback=True,
                   auth_max_failures=3, auth_failure_delay_seconds=0)
    port = runner.gateway.port
    for n in range(3):
        assert login(port, "wrong", source=f"127.0.1.{n + 1}")[0] == 535
    assert login(port, "s3cret-pass", source="127.0.1.9")[0] == 454
    assert len(auth_failures(runner.gateway.store)) == 4


@pytest.mark.parametrize("limits", [
    {"mode": "sender", "max_recipients": 5},
    {"mode": "campaign", "min_new_recipients": 5, "max_template_recipients": 1000},
], ids=["sender", "campaign"])
def test_forged_sender_from_another_client_cannot_hold_the_real_senders_mail(
        tmp_path: Path, sink: Sink, make_database: MakeDatabase, make_gateway: MakeGateway,
        limits: dict[str, Any]) -> None:
    settings = with_rule(gateway_settings(make_database("sqlite"), tmp_path / "spool",
                                          sink.port), "bulk_send", **limits)
    port = make_gateway(settings).gateway.port
    forged = [f"c{n}@cust{n}.test" for n in range(20)]
    with smtplib.SMTP("127.0.0.1", port, timeout=30, source_address=("127.0.0.7", 0)) as client:
        client.sendmail("care@example.com", forged,
                        mail("forged-1@example.com", ["undisclosed@example.com"],
                             body="Please confirm your account details today.\r\n"))
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.sendmail("care@example.com", ["alice@cust.test"],
                        mail("real-1@example.com", ["alice@cust.test"]))
    assert sink.wait_for(1)
    assert [rcpts for _, rcpts, _ in sink.messages] == [["alice@cust.test"]], \
        "the forgery was held under its own submitter; the real sender's mail went out"
