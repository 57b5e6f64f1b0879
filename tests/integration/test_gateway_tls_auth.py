"""STARTTLS and AUTH on the gateway's listener, with a throw-away self-signed certificate."""

from __future__ import annotations

import datetime
import smtplib
import ssl
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from tests.integration.support.gateway import (
    MakeDatabase,
    MakeGateway,
    Sink,
    gateway_settings,
    mail,
)

from crossguard.gateway.server import BackgroundGateway

pytestmark = pytest.mark.integration


def self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture
def secured(tmp_path: Path, sink: Sink, make_database: MakeDatabase,
            make_gateway: MakeGateway) -> tuple[BackgroundGateway, Sink]:
    cert, key = self_signed(tmp_path)
    auth = tmp_path / "users"
    auth.write_text(f"helpdesk:{PasswordHasher().hash('s3cret-pass')}\n", encoding="utf-8")
    settings = gateway_settings(make_database("sqlite"), tmp_path / "spool", sink.port,
                                tls_cert=str(cert), tls_key=str(key), require_starttls=True,
                                auth_file=str(auth))
    return make_gateway(settings), sink


def test_mail_needs_starttls_then_auth(secured: tuple[BackgroundGateway, Sink]) -> None:
    runner, sink = secured
    port = runner.gateway.port
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.ehlo()
        assert not client.has_extn("auth"), "no AUTH before STARTTLS"
        assert client.mail("care@example.com")[0] == 530
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.starttls(context=context)
        client.ehlo()
        assert client.has_extn("auth")
        with pytest.raises(smtplib.SMTPAuthenticationError):
            client.login("helpdesk", "wrong")
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.starttls(context=context)
        client.login("helpdesk", "s3cret-pass")
        message = mail("tls-1@example.com", ["alice@cust.test"])
        client.sendmail("care@example.com", ["alice@cust.test"], message)
    assert sink.wait_for(1)
    assert sink.messages[0][2] == message
