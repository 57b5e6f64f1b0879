"""Upstream delivery: MX per recipient domain from a DNS server the test runs, a smart host
that requires STARTTLS and AUTH, TLS policies, and routes chosen by the sender's domain."""

from __future__ import annotations

import datetime
import ipaddress
import smtplib
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from tests.integration.support.dns import DnsServer
from tests.integration.support.gateway import (
    MakeDatabase,
    MakeGateway,
    MakeSink,
    Sink,
    gateway_settings,
    mail,
)
from tests.integration.support.net import free_port, wait_until

from crossguard.errors import ConfigError
from crossguard.gateway.delivery.router import Router
from crossguard.gateway.server import BackgroundGateway
from crossguard.gateway.settings import GatewaySettings

pytestmark = pytest.mark.integration

ZONE = """\
alpha.test.      60 IN MX 5  mx0.alpha.test.
alpha.test.      60 IN MX 10 mx1.alpha.test.
mx0.alpha.test.  60 IN A  127.0.0.9
mx1.alpha.test.  60 IN A  127.0.0.2
beta.test.       60 IN MX 10 mx.beta.test.
mx.beta.test.    60 IN A  127.0.0.3
gamma.test.      60 IN A  127.0.0.4
nomail.test.     60 IN MX 0 .
"""


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for ``localhost`` (SAN), usable as its own CA."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class Logins:
    """An aiosmtpd authenticator accepting one user; records every attempt."""

    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user.encode(), password.encode()
        self.attempts: list[tuple[str, bool]] = []

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str,
                 auth_data: Any) -> AuthResult:
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == self.user
              and auth_data.password == self.password)
        self.attempts.append((mechanism, ok))
        return AuthResult(success=ok)


@pytest.fixture
def env(gateway_key: str, tmp_path: Path) -> Path:
    return tmp_path


def send(runner: BackgroundGateway, sender: str, rcpts: list[str], msgid: str) -> None:
    with smtplib.SMTP("127.0.0.1", runner.gateway.port, timeout=30) as client:
        client.sendmail(sender, rcpts, mail(msgid, rcpts[:1], sender=sender))


def test_mx_delivery_per_recipient_domain(env: Path, make_database: MakeDatabase,
                                          make_gateway: MakeGateway) -> None:
    port = free_port()
    alpha, beta = Sink(port, "127.0.0.2").start(), Sink(port, "127.0.0.3").start()
    gamma = Sink(port, "127.0.0.4").start()
    try:
        with DnsServer(ZONE) as dns:
            settings = gateway_settings(make_database("sqlite"), env / "spool", 0,
                                        delivery="mx", mx_port=port, dns_servers=[dns.address],
                                        upstream_timeout_seconds=5)
            runner = make_gateway(settings)
            rcpts = ["ann@alpha.test", "bob@beta.test", "al2@alpha.test",
                     "cy@gamma.test", "dee@nomail.test", "eve@nxdomain.test"]
            send(runner, "care@example.com", rcpts, "mx-1@example.com")
            assert alpha.wait_for(1) and beta.wait_for(1) and gamma.wait_for(1)
            store = runner.gateway.store
            assert wait_until(lambda: store.spool.counts() == {"failed": 1})
        assert [m[1] for m in alpha.messages] == [["ann@alpha.test", "al2@alpha.test"]]
        assert [m[1] for m in beta.messages] == [["bob@beta.test"]]
        assert [m[1] for m in gamma.messages] == [["cy@gamma.test"]], "implicit MX (A only)"
        assert ("mx0.alpha.test.", "A") in dns.resolver.asked, "preference 5 was tried first"
        failed = [e.payload for e in runner.gateway.store.audit.entries()
                  if e.event == "relay.failed"]
        assert len(failed) == 1
        assert "d***@nomail.test" in failed[0] and "e***@nxdomain.test" in failed[0]
    finally:
        for sink in (alpha, beta, gamma):
            sink.stop()


def smart_host(folder: Path, logins: Logins) -> tuple[Sink, Path]:
    cert, key = certificate(folder)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    sink = Sink(tls_context=context, require_starttls=True, authenticator=logins,
                auth_required=True, auth_require_tls=True).start()
    return sink, cert


@pytest.fixture
def auth_host(env: Path) -> Iterator[tuple[Sink, Path, Logins]]:
    logins = Logins("relay-user", "relay-pass")
    sink, cert = smart_host(env, logins)
    try:
        yield sink, cert, logins
    finally:
        sink.stop()


def run_smarthost(env: Path, make_gateway: MakeGateway, sink: Sink, password: str,
                  **gateway: Any) -> BackgroundGateway:
    secret = env / "upstream.pass"
    secret.write_text(password + "\n", encoding="utf-8")
    settings = gateway_settings(f"sqlite:///{env / 'store.db'}", env / "spool", 0,
                                upstream=f"localhost:{sink.port}", upstream_user="relay-user",
                                upstream_password_file=str(secret), upstream_timeout_seconds=5,
                                **gateway)
    return make_gateway(settings)


def test_smart_host_auth_over_verified_tls(env: Path, auth_host: tuple[Sink, Path, Logins],
                                           make_gateway: MakeGateway) -> None:
    sink, cert, logins = auth_host
    runner = run_smarthost(env, make_gateway, sink, "relay-pass", upstream_tls="verified",
                           upstream_ca_file=str(cert))
    send(runner, "care@example.com", ["alice@cust.test"], "auth-1@example.com")
    assert sink.wait_for(1)
    assert sink.message_ids() == ["<auth-1@example.com>"]
    assert logins.attempts and logins.attempts[-1][1] is True


@pytest.mark.parametrize(("password", "tls", "ca"), [
    ("wrong-pass", "required", False),   # AUTH refused
    ("relay-pass", "verified", False),   # self-signed certificate, system CAs: not verified
])
def test_smart_host_failures_defer_never_deliver(
    env: Path, auth_host: tuple[Sink, Path, Logins], make_gateway: MakeGateway, password: str,
    tls: str, ca: bool,
) -> None:
    sink, cert, logins = auth_host
    runner = run_smarthost(env, make_gateway, sink, password, upstream_tls=tls,
                           **({"upstream_ca_file": str(cert)} if ca else {}))
    send(runner, "care@example.com", ["alice@cust.test"], "auth-2@example.com")
    store = runner.gateway.store
    if tls == "required":
        assert wait_until(lambda: (logins.attempts or [("", True)])[0][1] is False)
    assert not sink.wait_for(1, timeout=3)
    assert store.spool.counts() in ({"queued": 1}, {"relaying": 1})
    if tls == "verified":
        assert logins.attempts == [], "no password sent to an unverified host"


def test_required_tls_accepts_any_certificate(env: Path, auth_host: tuple[Sink, Path, Logins],
                                              make_gateway: MakeGateway) -> None:
    sink, _, _ = auth_host
    runner = run_smarthost(env, make_gateway, sink, "relay-pass", upstream_tls="required")
    send(runner, "care@example.com", ["alice@cust.test"], "req-1@example.com")
    assert sink.wait_for(1)


def test_routes_by_sender_domain(env: Path, make_sink: MakeSink,
                                 make_gateway: MakeGateway) -> None:
    default, brand = make_sink(), make_sink()
    settings = gateway_settings(
        f"sqlite:///{env / 'store.db'}", env / "spool", default.port,
        routes=[{"sender_domains": ["brand-b.example"], "upstream": f"127.0.0.1:{brand.port}"}])
    policy = settings.policy.model_copy(
        update={"company_domains": ["example.com", "brand-b.example"]})
    runner = make_gateway(settings.model_copy(update={"policy": policy}))
    send(runner, "care@example.com", ["alice@cust.test"], "r-a@example.com")
    send(runner, "care@brand-b.example", ["bob@cust.test"], "r-b@example.com")
    assert default.wait_for(1) and brand.wait_for(1)
    assert default.message_ids() == ["<r-a@example.com>"]
    assert brand.message_ids() == ["<r-b@example.com>"]


def test_auth_without_tls_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="never sent in clear"):
        Router(GatewaySettings(upstream_user="relay-user", upstream_tls="opportunistic"))
