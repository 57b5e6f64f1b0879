"""The sender knows: a held message's internal sender gets a notice (never an outside
sender), the 250 names the quarantine id and rule, and ``hold_reply = "reject"`` answers 550."""

from __future__ import annotations

import logging
import smtplib
import time
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from tests.integration.support.gateway import MakeGateway, Sink, gateway_settings, mail
from tests.integration.support.net import wait_until

from crossguard.config import Settings
from crossguard.gateway.server import BackgroundGateway
from crossguard.synth.customers import Customer

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def session_index_key(gateway_key: str, index_key: bytes, monkeypatch: pytest.MonkeyPatch
                      ) -> None:
    """The session's index was built with tests/conftest.py's key, not the gateways' one."""
    monkeypatch.setenv("CROSSGUARD_KEY", index_key.hex())


def settings_for(tmp_path: Path, sink: Sink, index: Path, **gateway: Any) -> Settings:
    settings = gateway_settings(f"sqlite:///{tmp_path / 'store.db'}", tmp_path / "spool",
                                sink.port, **gateway)
    return settings.model_copy(update={
        "policy": settings.policy.model_copy(update={"company_domains": ["example.com"]}),
        "index": settings.index.model_copy(update={"path": index}),
    })


def leak(owner: Customer, reader: Customer, sender: str, msgid: str) -> bytes:
    body = (f"Hi {reader.first_name},\r\nhere is the order of {owner.name}: {owner.email}, "
            f"{owner.phone}, licence {owner.driver_licence}.\r\n")
    return mail(msgid, [reader.email], body=body, sender=sender)


def send(runner: BackgroundGateway, sender: str, rcpt: str, body: bytes) -> tuple[int, str]:
    with smtplib.SMTP("127.0.0.1", runner.gateway.port, timeout=30) as client:
        client.ehlo()
        client.mail(sender)
        client.rcpt(rcpt)
        code, text = client.data(body)
    return code, text.decode()


def raw_identifiers(owner: Customer, reader: Customer) -> list[str]:
    return [owner.email, owner.phone, owner.driver_licence, owner.name, reader.email,
            reader.name, owner.customer_id]


def test_internal_sender_gets_a_notice_without_raw_identifiers(
    tmp_path: Path, sink: Sink, make_gateway: MakeGateway, built_index: Path,
    customers: list[Customer],
) -> None:
    reader, owner = customers[20], customers[21]
    settings = settings_for(tmp_path, sink, built_index,
                            dashboard_url="https://guard.example.com/")
    runner = make_gateway(settings, notices=True)
    code, text = send(runner, "agent7@example.com", reader.email,
                      leak(owner, reader, "agent7@example.com", "n-1@example.com"))
    [entry] = runner.gateway.store.quarantine.list()
    assert (code, text) == (250, f"2.0.0 held in quarantine {entry.id} (cross_customer)")
    assert sink.wait_for(1)
    time.sleep(0.5)
    [(envelope_from, envelope_to, raw)] = sink.messages
    assert (envelope_from, envelope_to) == ("<>", ["agent7@example.com"])
    notice = message_from_bytes(raw, policy=policy.default)
    assert notice["Auto-Submitted"] == "auto-generated"
    assert entry.id in notice["Subject"]
    text_body = notice.get_content()
    assert entry.id in text_body
    assert f"https://guard.example.com/ui/quarantine/{entry.id}" in text_body
    assert "carries data of a customer who is not among its recipients" in text_body
    decoded = raw.decode("utf-8", "replace") + text_body
    leaked = [value for value in raw_identifiers(owner, reader) if value in decoded]
    assert leaked == [], "no raw identifier in the notice"
    assert f"{reader.email[0]}***@{reader.email.split('@')[1]}" in text_body


def test_external_sender_gets_no_notice(
    tmp_path: Path, sink: Sink, make_gateway: MakeGateway, built_index: Path,
    customers: list[Customer],
) -> None:
    reader, owner = customers[22], customers[23]
    runner = make_gateway(settings_for(tmp_path, sink, built_index), notices=True)
    code, _ = send(runner, "someone@outside.test", reader.email,
                   leak(owner, reader, "someone@outside.test", "n-2@example.com"))
    assert code == 250
    assert wait_until(lambda: len(runner.gateway.store.quarantine.list()) == 1)
    time.sleep(1.5)
    assert sink.messages == []
    assert runner.gateway.store.spool.counts() == {"held": 1}


def test_hold_reply_reject_names_reason_and_quarantine_id(
    tmp_path: Path, sink: Sink, make_gateway: MakeGateway, built_index: Path,
    customers: list[Customer], caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="crossguard.gateway")
    reader, owner = customers[24], customers[25]
    settings = settings_for(tmp_path, sink, built_index, hold_reply="reject",
                            notify_sender=False)
    runner = make_gateway(settings, notices=True)
    code, text = send(runner, "agent7@example.com", reader.email,
                      leak(owner, reader, "agent7@example.com", "n-3@example.com"))
    [entry] = runner.gateway.store.quarantine.list()
    assert code == 550
    assert text == ("5.7.1 the message carries data of a customer who is not among its "
                    f"recipients (quarantine {entry.id})")
    assert f"rules=cross_customer quarantine={entry.id}" in caplog.text
    time.sleep(1.0)
    assert sink.messages == []
