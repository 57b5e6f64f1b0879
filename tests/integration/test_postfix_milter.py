"""The real Postfix with ``smtpd_milters`` pointing at ``crossguard serve milter``.

Allowed mail reaches the sink; a leak is held in crossguard's quarantine and
never delivered; a refusal reaches the client; the milter killed in the middle
of a message makes Postfix answer 4xx (``milter_default_action = tempfail``),
and the message, sent again once the milter is back, is delivered once.
"""

from __future__ import annotations

import smtplib
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integration.support.gateway import Sink, mail
from tests.integration.support.milter import MilterProcess, write_config
from tests.integration.support.net import wait_until
from tests.integration.support.postfix import Postfix

from crossguard.config import load_settings
from crossguard.store.store import Store
from crossguard.synth.customers import Customer

pytestmark = [pytest.mark.integration, pytest.mark.slow]

MASTER = "127.0.0.1:{front} inet n - n - - smtpd\n"


def milter_main(port: int) -> str:
    return (f"smtpd_milters = inet:127.0.0.1:{port}\n"
            "non_smtpd_milters = $smtpd_milters\n"
            "milter_default_action = tempfail\n"
            "milter_protocol = 6\n")


class Chain:
    """Client -> Postfix (smtpd_milters) -> sink, with the milter as its own process."""

    def __init__(self, tmp_path: Path, index: Path, extra: str = "", **milter: str) -> None:
        self.folder = tmp_path
        self.sink = Sink().start()
        self.config = write_config(tmp_path, index, extra, **milter)
        self.milter = MilterProcess(self.config, tmp_path / "milter.log").start()
        self.postfix = Postfix(self.sink.port, main=milter_main(self.milter.port), master=MASTER)
        self.postfix.start()

    def store(self) -> Store:
        return Store.from_settings(load_settings(self.config), instance="test")

    def send(self, rcpts: list[str], body: bytes) -> tuple[int, bytes]:
        with smtplib.SMTP("127.0.0.1", self.postfix.front_port, timeout=60) as client:
            client.ehlo()
            client.mail("care@example.com")
            for rcpt in rcpts:
                client.rcpt(rcpt)
            return client.data(body)

    def close(self) -> None:
        self.postfix.stop()
        self.milter.stop()
        self.sink.stop()


@pytest.fixture
def chain(tmp_path: Path, built_index: Path) -> Iterator[Chain]:
    chain = Chain(tmp_path, built_index)
    try:
        yield chain
    finally:
        chain.close()


def leak(owner: Customer, reader: Customer, msgid: str) -> bytes:
    """A mail to ``reader`` carrying ``owner``'s email address and phone number."""
    body = (f"Hello,\r\nthe order belongs to {owner.name}, {owner.email}, "
            f"phone {owner.phone}.\r\n")
    return mail(msgid, [reader.email], body=body)


def test_allowed_mail_is_delivered_and_a_leak_is_held_never_delivered(
    chain: Chain, customers: list[Customer],
) -> None:
    reader, owner = customers[0], customers[1]
    code, _ = chain.send([reader.email], mail("m-allow@example.com", [reader.email]))
    assert code == 250
    assert chain.sink.wait_for(1, timeout=60), chain.postfix.log()
    assert chain.sink.message_ids() == ["<m-allow@example.com>"]

    code, text = chain.send([reader.email], leak(owner, reader, "m-leak@example.com"))
    assert code == 250, text  # discard: the client is answered, the MTA never delivers
    store = chain.store()
    try:
        assert wait_until(lambda: len(store.quarantine.list()) == 1, timeout=30)
        entry = store.quarantine.list()[0]
        assert entry.rules == ["cross_customer"]
        assert entry.message_id == "<m-leak@example.com>"
        assert owner.email.encode() in store.quarantine.body(entry.id)
        assert store.audit.verify().ok
    finally:
        store.close()
    assert wait_until(lambda: "discard" in chain.postfix.log(), timeout=30)
    time.sleep(1)
    assert chain.sink.message_ids() == ["<m-allow@example.com>"]
    assert chain.postfix.queued() == 0
    log = (chain.folder / "milter.log").read_text()
    assert "quarantine=" in log and "rules=cross_customer" in log
    assert owner.email not in log and owner.phone not in log and reader.email not in log


def test_refusal_and_hold_reply_reach_the_client(
    tmp_path: Path, built_index: Path, customers: list[Customer],
) -> None:
    rules = '[policy.rules.large_audience]\naction = "reject"\nmax_recipients = 5\n'
    chain = Chain(tmp_path, built_index, rules, hold_action="reject")
    try:
        reader, owner = customers[2], customers[3]
        code, text = chain.send([reader.email], leak(owner, reader, "m-held@example.com"))
        store = chain.store()
        try:
            [entry] = store.quarantine.list()
        finally:
            store.close()
        assert code == 550
        assert text.decode() == (
            "5.7.1 the message carries data of a customer who is not among its recipients "
            f"(quarantine {entry.id})")
        many = [customer.email for customer in customers[10:17]]
        code, text = chain.send(many, mail("m-many@example.com", many[:1]))
        assert code == 550
        assert text.decode() == ("5.7.1 message refused by policy: the message has more "
                                 "recipients than policy allows")
        time.sleep(1)
        assert chain.sink.messages == []
        store = chain.store()
        try:
            assert len(store.quarantine.list()) == 1
            events = [entry.event for entry in store.audit.entries()]
            assert events.count("message.reject") == 1
            assert events.count("quarantine.hold") == 1
        finally:
            store.close()
    finally:
        chain.close()


def test_milter_killed_mid_message_tempfails_and_nothing_is_lost(
    chain: Chain, customers: list[Customer],
) -> None:
    reader = customers[6]
    message = mail("m-killed@example.com", [reader.email], body="Your parcel left.\r\n" * 200)
    head, tail = message[: len(message) // 2], message[len(message) // 2:]
    with smtplib.SMTP("127.0.0.1", chain.postfix.front_port, timeout=60) as client:
        client.ehlo()
        assert client.mail("care@example.com")[0] == 250
        assert client.rcpt(reader.email)[0] == 250
        client.putcmd("data")
        assert client.getreply()[0] == 354
        client.send(head)
        chain.milter.kill()
        client.send(tail + b"\r\n.\r\n")
        code, text = client.getreply()
    assert code == 451 and text.startswith(b"4.7.1"), text
    assert wait_until(lambda: "milter" in chain.postfix.log(), timeout=10)  # syslog lags
    time.sleep(1)
    assert chain.sink.messages == []
    assert chain.postfix.queued() == 0
    # The client still has the message: once the milter is back, the retry is delivered once.
    chain.milter.start()
    code, _ = chain.send([reader.email], message)
    assert code == 250
    assert chain.sink.wait_for(1, timeout=60), chain.postfix.log()
    time.sleep(1)
    assert chain.sink.message_ids() == ["<m-killed@example.com>"]
