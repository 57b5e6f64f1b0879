"""The redact action: masked copy, still valid MIME with the same structure."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from email import message_from_bytes
from email.header import Header
from email.message import EmailMessage
from email.policy import default

import pytest

from crossguard.config import Settings
from crossguard.errors import PolicyError
from crossguard.scan import Guard
from crossguard.synth.customers import Customer


def _structure(raw: bytes) -> list[str]:
    """The MIME tree's shape: containers and body parts by type, attachments by disposition."""
    return [
        "attachment" if part.get_content_disposition() == "attachment" else part.get_content_type()
        for part in message_from_bytes(raw, policy=default).walk()
    ]


def test_redacted_copy_rescans_clean_and_keeps_its_structure(
    make_settings: Callable[..., Settings], customers: list[Customer],
    make_mail: Callable[..., bytes],
) -> None:
    guard = Guard.from_settings(make_settings(rules={"cross_customer": {"action": "redact"}}))
    other = customers[7]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("id.txt", f"passport no. {other.passport}")
    raw = make_mail(
        f"Hello,\nthe card on file is {other.card} and the phone {other.phone}.\n",
        to=(customers[0].email,),
        attachments=(("details.zip", archive.getvalue(), "application/zip"),
                     ("notes.txt", f"SSN {other.national_id}".encode(), "text/plain")),
    )
    evaluation = guard.evaluate(raw, mail_from="care@example.com")
    assert evaluation.verdict.action == "redact"
    redacted = guard.redact(raw, evaluation.verdict)
    assert _structure(redacted) == _structure(raw)
    rescanned = guard.evaluate(redacted, mail_from="care@example.com")
    assert rescanned.verdict.findings == []
    assert rescanned.verdict.attributions == []
    for value in (other.card, other.phone, other.passport, other.national_id):
        assert value.encode() not in redacted
    assert b"**** **** " + other.card[-4:].encode() in redacted


def test_a_part_the_stdlib_cannot_rewrite_is_held_not_failed(
    make_settings: Callable[..., Settings], customers: list[Customer],
) -> None:
    """A text part in a charset the stdlib has no codec for cannot be re-encoded: redact
    says so as a policy outcome (the gateway holds the message), never as an internal
    error (a 451 the sender would retry for days)."""
    guard = Guard.from_settings(make_settings(rules={"cross_customer": {"action": "redact"}}))
    other = customers[7]
    raw = (f"From: care@example.com\r\nTo: {customers[0].email}\r\nSubject: Hello\r\n"
           "Content-Type: text/plain; charset=x-klingon\r\n\r\n"
           f"Hello,\r\nthe card on file is {other.card} and the phone {other.phone}.\r\n"
           ).encode()
    verdict = guard.evaluate(raw, mail_from="care@example.com").verdict
    assert verdict.action == "redact"
    with pytest.raises(PolicyError, match="cannot be rewritten"):
        guard.redact(raw, verdict)


def test_a_part_that_is_not_base64_is_removed_with_what_its_source_shows(
    make_settings: Callable[..., Settings], customers: list[Customer],
) -> None:
    """Labelled base64 but plain text: clients show noise, the source shows the card. The
    finding is in the part's ``/raw`` field, so the part is replaced by the notice."""
    guard = Guard.from_settings(make_settings(rules={"cross_customer": {"action": "redact"}}))
    other = customers[7]
    raw = (f"From: care@example.com\r\nTo: {customers[0].email}\r\nSubject: Hello\r\n"
           "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
           "Content-Type: text/plain\r\n\r\nHello, the details are attached.\r\n--b\r\n"
           "Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n"
           f"card {other.card} phone {other.phone}\r\n--b--\r\n").encode()
    verdict = guard.evaluate(raw, mail_from="care@example.com").verdict
    assert verdict.action == "redact"
    assert {finding.part for finding in verdict.findings} == {"2/raw"}
    redacted = guard.redact(raw, verdict)
    assert other.card.encode() not in redacted
    assert b"crossguard removed the attachment" in redacted


def test_a_free_text_header_field_is_masked_in_its_place(
    make_settings: Callable[..., Settings], customers: list[Customer],
) -> None:
    """An identifier in the Subject (RFC 2047-encoded) and in a second X-Note is masked in
    the field itself, which keeps its position: the copy is relayed instead of held."""
    guard = Guard.from_settings(make_settings(rules={"cross_customer": {"action": "redact"}}))
    other = customers[7]
    subject = Header(f"Réf. carte {other.card}", "utf-8").encode()
    raw = (f"From: care@example.com\r\nTo: {customers[0].email}\r\nSubject: {subject}\r\n"
           f"X-Note: first\r\nX-Note: call {other.phone}\r\nContent-Type: text/plain\r\n\r\n"
           "Hello, your order has shipped.\r\n").encode()
    verdict = guard.evaluate(raw, mail_from="care@example.com").verdict
    assert verdict.action == "redact"
    assert {finding.part for finding in verdict.findings} == {"header:Subject",
                                                               "header:X-Note.2"}
    redacted = guard.redact(raw, verdict)
    copy = message_from_bytes(redacted, policy=default)
    assert [name for name in copy] == [name for name in message_from_bytes(raw)]
    masked = {finding.part: finding.masked for finding in verdict.findings}
    assert copy["Subject"] == f"Réf. carte {masked['header:Subject']}"
    notes = copy.get_all("X-Note")
    assert notes == ["first", f"call {masked['header:X-Note.2']}"]
    assert other.card.replace(" ", "") not in redacted.decode().replace(" ", "")
    assert guard.evaluate(redacted, mail_from="care@example.com").verdict.findings == []


def test_an_identifier_in_a_display_name_is_held(
    make_settings: Callable[..., Settings], customers: list[Customer],
) -> None:
    """Address fields are structured: redact leaves them, so the copy's re-check holds it."""
    guard = Guard.from_settings(make_settings(rules={"cross_customer": {"action": "redact"}}))
    other = customers[7]
    raw = (f'From: care@example.com\r\nTo: "card {other.card}" <{customers[0].email}>\r\n'
           "Subject: Hello\r\n\r\nHello, your order has shipped.\r\n").encode()
    verdict = guard.evaluate(raw, mail_from="care@example.com").verdict
    assert verdict.action == "redact"
    with pytest.raises(PolicyError, match="redaction left findings"):
        guard.redact(raw, verdict)


def test_an_html_part_is_masked_in_its_markup_too(
    make_settings: Callable[..., Settings], customers: list[Customer],
) -> None:
    """A value the HTML part carries in a link's address, an alt text or a comment is
    masked where it stands, like its visible text: the part keeps its place."""
    guard = Guard.from_settings(make_settings(rules={"cross_customer": {"action": "redact"}}))
    other = customers[7]
    card = other.card.replace(" ", "")
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = ("care@example.com",
                                                          customers[0].email, "Hello")
    message.set_content("Hello, your order has shipped.\n")
    message.add_alternative(
        f'<p>Card on file: {other.card}</p><img alt="phone {other.phone}" src="cid:logo">'
        f'<a href="https://shop.example.test/pay?card={card}">pay</a><!-- ssn '
        f'{other.national_id} -->', subtype="html")
    raw = message.as_bytes()
    verdict = guard.evaluate(raw, mail_from="care@example.com").verdict
    assert verdict.action == "redact"
    assert {finding.part for finding in verdict.findings} == {"2", "2/links", "2/unseen"}
    redacted = guard.redact(raw, verdict)
    assert _structure(redacted) == _structure(raw)
    for value in (other.card, card, other.phone, other.national_id):
        assert value.encode() not in redacted
    assert guard.evaluate(redacted, mail_from="care@example.com").verdict.findings == []
