"""Real SMTP client -> gateway (real Guard, real store) -> upstream sink on 127.0.0.1."""

from __future__ import annotations

import json
import shutil
import smtplib
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import update
from tests.integration.support.gateway import (
    MakeGateway,
    MakeSink,
    Sink,
    gateway_settings,
    mail,
    with_rule,
)
from tests.integration.support.net import free_port, wait_until

from crossguard.cli.main import cli
from crossguard.config import Settings
from crossguard.gateway.server import BackgroundGateway
from crossguard.store.models import AuditEntry, SpoolEntry
from crossguard.store.store import Store

pytestmark = pytest.mark.integration

Gateways = Callable[..., tuple[BackgroundGateway, Settings]]


@pytest.fixture
def gateways(store_url: str, tmp_path: Path, sink: Sink, make_gateway: MakeGateway) -> Gateways:
    """Factory of gateways on one store; each gets its own spool folder and instance name."""

    def start(instance: str = "gw1", **gateway: Any) -> tuple[BackgroundGateway, Settings]:
        settings = gateway_settings(store_url, tmp_path / f"spool-{instance}", sink.port,
                                    **gateway)
        return make_gateway(settings, instance), settings

    return start



def send(port: int, message: bytes, rcpts: list[str],
         sender: str = "care@example.com") -> tuple[int, str]:
    """One SMTP transaction; the DATA reply."""
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.ehlo()
        assert client.mail(sender)[0] == 250
        for rcpt in rcpts:
            assert client.rcpt(rcpt)[0] == 250
        code, text = client.data(message)
        return code, text.decode()


def config_file(tmp_path: Path, settings: Settings) -> Path:
    path = tmp_path / "crossguard.toml"
    path.write_text(f'[store]\nurl = "{settings.store.url}"\n'
                    f'spool_dir = "{settings.store.spool_dir}"\n', encoding="utf-8")
    return path


def test_allowed_message_arrives_byte_identical(gateways: Gateways, sink: Sink) -> None:
    runner, _ = gateways()
    message = mail("allow-1@example.com", ["alice@cust.test"], body="Caf\u00e9 ok\r\n.dot\r\n")
    code, text = send(runner.gateway.port, message, ["alice@cust.test"])
    assert code == 250 and text.startswith("2.0.0 queued as ")
    assert sink.wait_for(1)
    (mail_from, rcpts, body) = sink.messages[0]
    assert (mail_from, rcpts) == ("care@example.com", ["alice@cust.test"])
    assert body == message


def test_held_message_waits_in_quarantine_until_released(
    gateways: Gateways, sink: Sink, tmp_path: Path
) -> None:
    runner, settings = gateways()
    rcpts = ["alice@cust.test", "bob@other.test"]
    message = mail("held-1@example.com", rcpts)
    code, _ = send(runner.gateway.port, message, rcpts)
    assert code == 250
    time.sleep(1.0)
    assert sink.messages == []
    config = config_file(tmp_path, settings)
    cli_runner = CliRunner()
    listed = cli_runner.invoke(cli, ["quarantine", "list", "--json", "--config", str(config)])
    assert listed.exit_code == 0, listed.output
    (entry,) = json.loads(listed.output)
    assert entry["rules"] == ["visible_recipients"]
    assert "alice@cust.test" not in listed.output and entry["rcpts"][0] == "a***@cust.test"
    shown = cli_runner.invoke(cli, ["quarantine", "show", entry["id"], "--config", str(config)])
    assert "visible_recipients" in shown.output and "bob@other.test" not in shown.output
    missing_reason = cli_runner.invoke(cli, ["quarantine", "release", entry["id"],
                                             "--config", str(config)])
    assert missing_reason.exit_code != 0
    released = cli_runner.invoke(cli, ["quarantine", "release", entry["id"], "--reason",
                                       "both are one household", "--config", str(config)])
    assert released.exit_code == 0, released.output
    assert sink.wait_for(1)
    assert sink.messages[0] == ("care@example.com", rcpts, message)
    verified = cli_runner.invoke(cli, ["audit", "verify", "--json", "--config", str(config)])
    assert verified.exit_code == 0
    assert json.loads(verified.output)["entries"] == 2


def test_envelope_recipients_bcc_included_are_checked(gateways: Gateways, sink: Sink) -> None:
    runner, _ = gateways()
    bcc = [f"customer{n}@cust.test" for n in range(30)]
    code, _ = send(runner.gateway.port, mail("bcc-1@example.com", ["care@example.com"]), bcc)
    assert code == 250
    store = runner.gateway.store
    assert wait_until(lambda: len(store.quarantine.list()) == 1)
    # one message to 30 external recipients is also a campaign (bulk_send counts its template)
    assert store.quarantine.list()[0].rules == ["large_audience", "bulk_send"]
    assert sink.messages == []


def test_reject_answers_550_naming_rules_only(
    make_gateway: MakeGateway, sink: Sink, store_url: str, tmp_path: Path
) -> None:
    settings = with_rule(gateway_settings(store_url, tmp_path / "spool", sink.port),
                         "visible_recipients", action="reject")
    runner = make_gateway(settings)
    rcpts = ["alice@cust.test", "bob@other.test"]
    code, text = send(runner.gateway.port, mail("rej-1@example.com", rcpts), rcpts)
    assert code == 550
    assert text == "5.7.1 message refused by policy: visible_recipients"
    assert sink.messages == []


def test_check_over_budget_answers_451_with_incident(
    gateways: Gateways, sink: Sink, caplog: pytest.LogCaptureFixture
) -> None:
    runner, _ = gateways(check_timeout_seconds=1e-6)
    message = mail("slow-1@example.com", ["alice@cust.test"])
    code, text = send(runner.gateway.port, message, ["alice@cust.test"])
    assert code == 451
    assert text.startswith("4.7.0 temporary failure, incident ")
    incident = text.rsplit(" ", 1)[1]
    assert any(incident in record.getMessage() and "CheckTimeout" in record.getMessage()
               for record in caplog.records)
    assert "alice" not in caplog.text
    store = runner.gateway.store
    time.sleep(0.5)
    assert store.spool.counts() == {}
    assert list(store.spool.dir.iterdir()) == []
    assert sink.messages == []


def test_upstream_down_messages_wait_then_arrive(
    make_gateway: MakeGateway, make_sink: MakeSink, tmp_path: Path, store_url: str
) -> None:
    port = free_port()
    settings = gateway_settings(store_url, tmp_path / "spool-down", port)
    runner = make_gateway(settings)
    sink = make_sink(port, start=False)
    ids = [f"down-{n}@example.com" for n in range(5)]
    for msgid in ids:
        assert send(runner.gateway.port, mail(msgid, ["alice@cust.test"]),
                    ["alice@cust.test"])[0] == 250
    deadline = time.monotonic() + 30  # each first attempt fails and goes back to the queue
    while runner.gateway.store.spool.counts() != {"queued": 5} and time.monotonic() < deadline:
        time.sleep(0.05)
    counts = runner.gateway.store.spool.counts()
    assert counts.get("delivered", 0) == 0 and counts.get("queued", 0) == 5
    sink.start()
    assert sink.wait_for(5, timeout=30)
    time.sleep(0.5)
    assert sorted(sink.message_ids()) == sorted(f"<{msgid}>" for msgid in ids)


def test_partial_recipient_failure_retries_only_the_deferred(
    gateways: Gateways, sink: Sink
) -> None:
    runner, _ = gateways()
    sink.defer["bob@other.test"] = 2
    sink.refuse.add("carol@other.test")
    rcpts = ["alice@cust.test", "bob@other.test", "carol@other.test"]
    message = mail("partial-1@example.com", ["alice@cust.test"])
    assert send(runner.gateway.port, message, rcpts)[0] == 250
    assert sink.wait_for(2, timeout=30)
    time.sleep(0.5)
    assert [rcpts for _, rcpts, _ in sink.messages] == [["alice@cust.test"], ["bob@other.test"]]
    store = runner.gateway.store
    with store.sessions() as session:
        (row,) = session.query(SpoolEntry).all()
        assert row.state == "failed" and json.loads(row.failed_rcpts) == ["carol@other.test"]
    failed = [json.loads(e.payload) for e in store.audit.entries() if e.event == "relay.failed"]
    assert failed[0]["rcpts"] == ["c***@other.test"]


def test_retransmission_is_acknowledged_once(gateways: Gateways, sink: Sink) -> None:
    runner, _ = gateways()
    message = mail("dup-1@example.com", ["alice@cust.test"])
    first = send(runner.gateway.port, message, ["alice@cust.test"])
    second = send(runner.gateway.port, message, ["alice@cust.test"])
    assert first == second and first[0] == 250
    assert sink.wait_for(1)
    time.sleep(0.5)
    assert len(sink.messages) == 1


def test_swaks_through_the_gateway(gateways: Gateways, sink: Sink, tmp_path: Path) -> None:
    runner, _ = gateways()
    swaks = shutil.which("swaks")
    assert swaks is not None, "swaks is installed on this machine (ENVIRONMENT.md)"
    message = mail("swaks-1@example.com", ["alice@cust.test"])
    path = tmp_path / "swaks.eml"
    path.write_bytes(message)
    result = subprocess.run(
        [swaks, "--server", f"127.0.0.1:{runner.gateway.port}", "--from", "care@example.com",
         "--to", "alice@cust.test", "--data", f"@{path}", "--hide-all"],
        capture_output=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert sink.wait_for(1)
    assert sink.message_ids() == ["<swaks-1@example.com>"]


def test_audit_verify_names_the_edited_entry(gateways: Gateways, tmp_path: Path) -> None:
    runner, settings = gateways()
    for n in range(3):
        send(runner.gateway.port, mail(f"a-{n}@example.com", ["alice@cust.test"]),
             ["alice@cust.test"])
    config = config_file(tmp_path, settings)
    result = CliRunner().invoke(cli, ["audit", "verify", "--config", str(config)])
    assert result.exit_code == 0 and "3 entries" in result.output
    store: Store = runner.gateway.store
    with store.sessions.begin() as session:
        session.execute(update(AuditEntry).where(AuditEntry.seq == 2)
                        .values(payload='{"action":"allow"}'))
    result = CliRunner().invoke(cli, ["audit", "verify", "--config", str(config)])
    assert result.exit_code == 1
    assert "broken at entry 2" in result.output


def test_redact_relays_a_masked_copy(
    make_gateway: MakeGateway, sink: Sink, store_url: str, tmp_path: Path
) -> None:
    settings = with_rule(gateway_settings(store_url, tmp_path / "spool", sink.port),
                         "unattributed_sensitive", action="redact")
    runner = make_gateway(settings)
    body = "Refund to card 4111 1111 1111 1111 as agreed.\r\n"
    code, _ = send(runner.gateway.port, mail("redact-1@example.com", ["alice@cust.test"],
                                              body=body), ["alice@cust.test"])
    assert code == 250
    assert sink.wait_for(1)
    delivered = sink.messages[0][2]
    assert b"4111 1111 1111 1111" not in delivered
    assert b"4111 **** **** 1111" in delivered


def test_reply_redistributed_by_a_postfix_virtual_group_is_held(
    make_gateway: MakeGateway, sink: Sink, store_url: str, tmp_path: Path
) -> None:
    """The incident's path: a customer's reply to the support alias, which fans out to customers.

    The envelope names only the (internal) alias; the rule sees the customers
    behind it because the gateway expands it with the Postfix ``virtual`` file.
    """
    virtual = tmp_path / "virtual"
    virtual.write_text("# support list whose members are customers (the incident)\n"
                       "support@example.com  ann@cust.test, bob@other.test, cy@mail.test\n")
    settings = gateway_settings(store_url, tmp_path / "spool", sink.port)
    policy = settings.policy.model_copy(update={"directory": [virtual],
                                                "company_domains": ["example.com"]})
    runner = make_gateway(settings.model_copy(update={"policy": policy}))
    reply = mail("reply-1@cust.test", ["support@example.com"], sender="ann@cust.test",
                 body="Here is my new address, I moved last week.\r\n")
    code, _ = send(runner.gateway.port, reply, ["support@example.com"], sender="ann@cust.test")
    assert code == 250
    store = runner.gateway.store
    assert wait_until(lambda: len(store.quarantine.list()) == 1)
    # the list in To also shows its external members to each other
    assert store.quarantine.list()[0].rules == ["external_fanout", "visible_recipients"]
    assert sink.messages == []
