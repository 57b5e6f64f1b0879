"""No open relay: the gateway refuses to start exposed without AUTH or an allow-list,
and refuses MAIL from a client outside ``gateway.allow_clients``."""

from __future__ import annotations

import smtplib
import subprocess
import sys
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from tests.integration.support.gateway import (
    MakeDatabase,
    MakeGateway,
    Sink,
    gateway_settings,
    mail,
)
from tests.integration.support.net import free_port

from crossguard.errors import ConfigError
from crossguard.gateway.clients import check_clients
from crossguard.gateway.settings import GatewaySettings

pytestmark = pytest.mark.integration


def serve_smtp(tmp_path: Path, listen: str, gateway: str = "") -> subprocess.CompletedProcess[str]:
    config = tmp_path / "crossguard.toml"
    config.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "s.db"}"\n'
                      f'spool_dir = "{tmp_path / "spool"}"\n[gateway]\n{gateway}\n',
                      encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "crossguard.cli", "serve", "smtp", "--listen", listen,
         "--config", str(config)], capture_output=True, text=True, timeout=60, check=False)


def test_exposed_without_auth_or_allow_list_refuses_to_start(tmp_path: Path) -> None:
    result = serve_smtp(tmp_path, f"0.0.0.0:{free_port()}")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("crossguard: error: gateway.listen 0.0.0.0:")
    assert "open relay" in lines[0] and "gateway.open_relay_i_know" in lines[0]


@pytest.mark.parametrize("values", [
    {"listen": "127.0.0.1:10030"},
    {"listen": "[::1]:10030"},
    {"listen": "localhost:10030"},
    {"listen": "0.0.0.0:10030", "allow_clients": ["10.1.0.0/16"]},
    {"listen": "0.0.0.0:10030", "auth_file": "users"},
    {"listen": "0.0.0.0:10030", "open_relay_i_know": True},
])
def test_what_may_listen_beyond_loopback(values: dict[str, object]) -> None:
    check_clients(GatewaySettings.model_validate(values))


@pytest.mark.parametrize("listen", ["0.0.0.0:25", "[::]:25", "mail.example.com:25",
                                    "192.0.2.7:25"])
def test_public_hosts_are_refused(listen: str) -> None:
    with pytest.raises(ConfigError, match="open relay"):
        check_clients(GatewaySettings.model_validate({"listen": listen}))


def test_bad_cidr_is_one_clear_line(tmp_path: Path) -> None:
    result = serve_smtp(tmp_path, f"127.0.0.1:{free_port()}",
                        'allow_clients = ["10.0.0.0/33"]')
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "crossguard: error: gateway.allow_clients: '10.0.0.0/33' is not an address or CIDR")


def test_client_outside_the_allow_list_is_refused(
    tmp_path: Path, sink: Sink, make_database: MakeDatabase, make_gateway: MakeGateway,
) -> None:
    settings = gateway_settings(make_database("sqlite"), tmp_path / "spool", sink.port,
                                allow_clients=["127.0.0.2/32"])
    port = make_gateway(settings).gateway.port
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as outside:
        outside.ehlo()
        code, text = outside.mail("ceo@example.com")
        assert (code, text) == (554, b"5.7.1 client not allowed to send through this gateway")
        assert outside.rcpt("victim@outside.test")[0] == 503
    with smtplib.SMTP("127.0.0.1", port, timeout=30, source_address=("127.0.0.2", 0)) as listed:
        listed.sendmail("care@example.com", ["alice@cust.test"],
                        mail("listed@example.com", ["alice@cust.test"]))
    assert sink.wait_for(1)
    assert sink.message_ids() == ["<listed@example.com>"]


def test_outside_client_may_still_authenticate(
    tmp_path: Path, sink: Sink, make_database: MakeDatabase, make_gateway: MakeGateway,
) -> None:
    auth = tmp_path / "users"
    auth.write_text(f"helpdesk:{PasswordHasher().hash('s3cret-pass')}\n", encoding="utf-8")
    settings = gateway_settings(make_database("sqlite"), tmp_path / "spool", sink.port,
                                auth_file=str(auth), allow_clients=["127.0.0.2"],
                                auth_plaintext_loopback=True)
    port = make_gateway(settings).gateway.port
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as outside:
        outside.ehlo()
        assert outside.mail("care@example.com")[0] == 530
    with smtplib.SMTP("127.0.0.1", port, timeout=30, source_address=("127.0.0.2", 0)) as listed:
        listed.ehlo()
        assert listed.mail("care@example.com")[0] == 250, "listed: no AUTH needed"
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.login("helpdesk", "s3cret-pass")
        client.sendmail("care@example.com", ["alice@cust.test"],
                        mail("authed@example.com", ["alice@cust.test"]))
    assert sink.wait_for(1)
