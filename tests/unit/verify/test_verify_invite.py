"""Invitations: one customer a message, no personal data in the link, the lint stays quiet."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from crossguard.config import settings_from_dict
from crossguard.errors import ConfigError, CustomerInputError
from crossguard.scan import Guard
from crossguard.verify import invite, invitees
from crossguard.verify.campaigns import Link
from crossguard.verify.settings import VerifySettings

SETTINGS = VerifySettings(public_url="https://verify.example.com/", mail_from="care@example.com")
LINK = Link("C0000042", "a" * 32, "a" * 32 + "." + "B" * 32, 1_800_000_000.0)


def test_message_has_one_recipient_and_the_link() -> None:
    person = invite.Invitee("C0000042", "jo@cust.test")
    message = invite.message(SETTINGS, person, LINK, invite.template(SETTINGS))
    assert message["To"] == "jo@cust.test" and message["Cc"] is None
    body = message.get_content()
    assert f"https://verify.example.com/verify/{LINK.token}" in body
    assert "C0000042" not in body and "jo@cust.test" not in body


def test_the_invitation_does_not_trip_sensitive_request() -> None:
    person = invite.Invitee("C0000042", "jo@cust.test")
    raw = invite.message(SETTINGS, person, LINK, invite.template(SETTINGS)).as_bytes()
    guard = Guard(settings_from_dict({"policy": {"company_domains": ["example.com"]}}))
    verdict = guard.check(raw, mail_from="care@example.com", rcpts=["jo@cust.test"])
    assert "sensitive_request" not in [rule.rule for rule in verdict.rules]


def test_sensitive_request_names_the_verification_page() -> None:
    body = "Please reply with a photo of your driver's licence to confirm your order."
    mail = (f"From: care@example.com\r\nTo: jo@cust.test\r\nSubject: order\r\n\r\n{body}\r\n"
            ).encode()
    plain = Guard(settings_from_dict({"policy": {"company_domains": ["example.com"]}}))
    linked = Guard(settings_from_dict({"policy": {"company_domains": ["example.com"]},
                                       "verify": {"public_url": "https://v.example.com"}}))
    reasons = [next(rule.reason for rule in guard.check(mail, rcpts=["jo@cust.test"]).rules
                    if rule.rule == "sensitive_request") for guard in (plain, linked)]
    assert "https://" not in reasons[0]
    assert "use a secure upload link (https://v.example.com/verify) instead" in reasons[1]


def test_export_is_a_new_private_file(tmp_path: Path) -> None:
    people = [invite.Invitee("C0000042", "jo@cust.test")]
    target = tmp_path / "links.csv"
    assert invite.export(SETTINGS, people, [LINK], target) == 1
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert LINK.token in target.read_text()
    with pytest.raises(ConfigError, match="exists already"):
        invite.export(SETTINGS, people, [LINK], target)


def test_settings_missing_for_mail_are_named() -> None:
    person = invite.Invitee("C1", "jo@cust.test")
    with pytest.raises(ConfigError, match="mail_from"):
        invite.message(VerifySettings(public_url="https://v"), person, LINK,
                       invite.template(SETTINGS))
    with pytest.raises(ConfigError, match="public_url"):
        invite.message(VerifySettings(mail_from="a@b.c"), person, LINK,
                       invite.template(SETTINGS))


@pytest.mark.parametrize(("text", "message"), [
    ("customer_id,email\nC1,jo@cust.test\nC1,al@cust.test\n", "row 3: customer_id appears twice"),
    ("customer_id,email\nC1,not-an-address\n", "row 2: email is not an address"),
    ("id,email\nC1,jo@cust.test\n", "needs the columns customer_id and email"),
    ("customer_id,email\n", "no customers to invite"),
])
def test_invitee_csv_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "in.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CustomerInputError, match=message):
        invitees.from_csv(path)


def test_invitees_from_csv_and_sql(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("customer_id,address\nC1,jo@cust.test\nC2,al@cust.test\n", encoding="utf-8")
    assert [p.customer_id for p in invitees.from_csv(path)] == ["C1", "C2"]
    database = tmp_path / "crm.db"
    with sqlite3.connect(database) as connection:
        connection.execute("create table c (customer_id text, email text)")
        connection.execute("insert into c values ('C9', 'zo@cust.test')")
    connection.close()
    found = invitees.from_sql(f"sqlite:///{database}", "select customer_id, email from c")
    assert found == [invite.Invitee("C9", "zo@cust.test")]
