"""Postfix in front: before-queue smtpd_proxy_filter -> gateway -> second smtpd -> sink.

The test writes its own Postfix instance into a tmp folder (own config,
queue and data directories, loopback only, high ports) and stops it at
teardown. A held message's 550 must reach the sending client through Postfix.
"""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
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
from tests.integration.support.net import free_port, wait_until
from tests.integration.support.postfix import Postfix

from crossguard.gateway.server import BackgroundGateway

pytestmark = [pytest.mark.integration, pytest.mark.slow]

MASTER = """\
127.0.0.1:{front} inet n - n - - smtpd
  -o smtpd_proxy_filter=127.0.0.1:%d
  -o smtpd_proxy_timeout=60s
127.0.0.1:{back} inet n - n - - smtpd
  -o smtpd_proxy_filter=
  -o smtpd_authorized_xforward_hosts=127.0.0.0/8
"""


@pytest.fixture
def chain(tmp_path: Path, sink: Sink, make_database: MakeDatabase, make_gateway: MakeGateway
          ) -> Iterator[tuple[Postfix, BackgroundGateway, Sink]]:
    """Sink, then the gateway relaying to Postfix's second smtpd, then Postfix in front."""
    filter_port = free_port()
    postfix = Postfix(sink.port, master=MASTER % filter_port)
    settings = gateway_settings(make_database("sqlite"), tmp_path / "spool", postfix.back_port,
                                listen=f"127.0.0.1:{filter_port}")
    settings = with_rule(settings, "large_audience", action="reject", max_recipients=5)
    gateway = make_gateway(settings)
    try:
        postfix.start()
        yield postfix, gateway, sink
    finally:
        postfix.stop()


def test_postfix_before_queue_filter_relays_and_refuses(
    chain: tuple[Postfix, BackgroundGateway, Sink],
) -> None:
    postfix, gateway, sink = chain
    allowed = mail("pf-allow@example.com", ["alice@cust.test"])
    with smtplib.SMTP("127.0.0.1", postfix.front_port, timeout=60) as client:
        client.sendmail("care@example.com", ["alice@cust.test"], allowed)
    assert sink.wait_for(1, timeout=60), postfix.log()
    assert sink.message_ids() == ["<pf-allow@example.com>"]
    assert sink.messages[0][1] == ["alice@cust.test"]

    held_rcpts = ["alice@cust.test", "bob@other.test"]
    with smtplib.SMTP("127.0.0.1", postfix.front_port, timeout=60) as client:
        client.ehlo()
        client.mail("care@example.com")
        for rcpt in held_rcpts:
            client.rcpt(rcpt)
        code, text = client.data(mail("pf-held@example.com", held_rcpts))
    assert code == 250, text
    assert wait_until(lambda: len(gateway.gateway.store.quarantine.list()) == 1)
    assert sink.message_ids() == ["<pf-allow@example.com>"]


def test_refusal_reaches_the_client_through_postfix(
    chain: tuple[Postfix, BackgroundGateway, Sink],
) -> None:
    postfix, _, sink = chain
    rcpts = [f"customer{n}@cust.test" for n in range(8)]
    with smtplib.SMTP("127.0.0.1", postfix.front_port, timeout=60) as client:
        client.ehlo()
        client.mail("care@example.com")
        for rcpt in rcpts:
            client.rcpt(rcpt)
        code, text = client.data(mail("pf-reject@example.com", ["care@example.com"]))
    assert code == 550
    assert text.decode() == "5.7.1 message refused by policy: large_audience"
    with smtplib.SMTP("127.0.0.1", postfix.front_port, timeout=60) as client:
        client.sendmail("care@example.com", ["alice@cust.test"],
                        mail("pf-after@example.com", ["alice@cust.test"]))
    assert sink.wait_for(1, timeout=60), postfix.log()
    assert sink.message_ids() == ["<pf-after@example.com>"]
