"""Every rule, firing and not firing; every action; monitor mode; precedence."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from tests.corpus.legacy_office import WORD97, renamed_stream

from crossguard.config import Settings
from crossguard.scan import Guard
from crossguard.synth import documents
from crossguard.synth.customers import Customer

SUPPORT = "support-list@example.com"


@dataclass
class Case:
    """One message, its envelope, and the rules expected to fire (exactly)."""

    body: Callable[[list[Customer]], str]
    sender: str = "care@example.com"
    to: Callable[[list[Customer]], tuple[str, ...]] = lambda cs: (cs[0].email,)
    cc: tuple[str, ...] = ()
    reply_to: str | None = None
    rcpts: Callable[[list[Customer]], list[str]] | None = None
    fired: set[str] = field(default_factory=set)


def _block(customer: Customer, sent: str, author: str = "From") -> str:
    """An Outlook-style quoted header block: the message below it is not marked ``>``."""
    return (f"{author}: {customer.name} <{customer.email}>\n{sent}: Monday, 7 December 2026"
            " 10:00\nSubject: delivery\n\n")


CASES = {
    "own data to its owner passes": Case(
        body=lambda cs: f"Dear customer, we will call {cs[0].phone} about {cs[0].order_ids[0]}."),
    "another customer's data is held": Case(
        body=lambda cs: f"Licence {cs[1].driver_licence}, phone {cs[1].phone}.",
        fired={"cross_customer"}),
    "a quoted earlier message carries the leak": Case(
        body=lambda cs: f"Thanks!\n\n> On Monday someone wrote:\n> my card is {cs[2].card}\n",
        fired={"cross_customer"}),
    "authorized contact may see the data": Case(
        body=lambda cs: f"Statement for order {cs[5].order_ids[0]}",
        to=lambda cs: ("accountant@firm.example.net",)),
    "two customers visible in To": Case(
        body=lambda cs: "Our opening hours change next week.",
        to=lambda cs: (cs[0].email, cs[1].email), fired={"visible_recipients"}),
    "many recipients in Bcc": Case(
        body=lambda cs: "Our opening hours change next week.", to=lambda cs: ("care@example.com",),
        rcpts=lambda cs: [c.email for c in cs[:30]], fired={"large_audience", "bulk_send"}),
    "few recipients in Bcc pass": Case(
        body=lambda cs: "Our opening hours change next week.", to=lambda cs: ("care@example.com",),
        rcpts=lambda cs: [c.email for c in cs[:3]]),
    "customer's mail redistributed to other customers": Case(
        body=lambda cs: "Is my order late?", sender="someone@gmail.example.org",
        to=lambda cs: (SUPPORT,), rcpts=lambda cs: [c.email for c in cs[:3]],
        fired={"external_fanout", "visible_recipients"}),
    "customer's mail to support only passes": Case(
        body=lambda cs: "Is my order late?", sender="someone@gmail.example.org",
        to=lambda cs: ("care@example.com",)),
    "a list of customers in To: its members see each other": Case(
        body=lambda cs: "Our opening hours change next week.", to=lambda cs: (SUPPORT,),
        fired={"visible_recipients"}),
    "reply-to is a list with customers": Case(
        body=lambda cs: "Our opening hours change next week.", reply_to=SUPPORT,
        fired={"reply_path"}),
    "reply-to is a staff-only list": Case(
        body=lambda cs: "Our opening hours change next week.", reply_to="staff@example.com"),
    "unknown card number going out": Case(
        body=lambda cs: "Use card 4111 1111 1111 1111 for the refund.",
        fired={"unattributed_sensitive"}),
    "unknown card number staying internal": Case(
        body=lambda cs: "Use card 4111 1111 1111 1111 for the refund.",
        to=lambda cs: ("billing@example.com",)),
    "asking for ID photos by email": Case(
        body=lambda cs: "Please reply with a photo of your driver's licence to verify.",
        fired={"sensitive_request"}),
    "asking for an ID photo in Spanish": Case(
        body=lambda cs: "Para verificar su pedido, envíenos una foto de su DNI.",
        fired={"sensitive_request"}),
    "asking for an ID copy in German": Case(
        body=lambda cs: "Bitte senden Sie uns eine Kopie Ihres Personalausweises.",
        fired={"sensitive_request"}),
    "asking for a card number in French": Case(
        body=lambda cs: "Merci de nous envoyer le numéro de carte utilisé.",
        fired={"sensitive_request"}),
    "an Outlook reply quoting the customer's question about an ID": Case(
        body=lambda cs: f"Thanks, no need: your parcel left today.\n\n{_block(cs[0], 'Sent')}"
                        "Should I email you a copy of my passport?"),
    "a German Outlook thread quoting the earlier request": Case(
        body=lambda cs: f"Danke, erhalten.\n\n{_block(cs[0], 'Gesendet', 'Von')}Anbei.\n\n"
                        "Von: Kundenservice <care@example.com>\nGesendet: Freitag, 4. Dezember\n\n"
                        "Bitte senden Sie uns eine Kopie Ihres Personalausweises."),
    "a request written above an Outlook quote": Case(
        body=lambda cs: f"Please reply with a photo of your passport.\n\n{_block(cs[0], 'Sent')}"
                        "Here is my order.", fired={"sensitive_request"}),
    "saying the passport was sent back": Case(
        body=lambda cs: "Hemos enviado su pasaporte por correo certificado."),
    "pointing to an upload link": Case(
        body=lambda cs: "Please upload your documents at https://example.com/verify."),
}


@pytest.fixture
def rule_guard(make_settings: Callable[..., Settings], customers: list[Customer],
               tmp_path: Path) -> Guard:
    directory = tmp_path / "directory.json"
    directory.write_text(json.dumps({"groups": [
        {"address": SUPPORT, "members": [c.email for c in customers[:3]], "owners": [],
         "who_can_post": "anyone", "reply_to": "list"},
        {"address": "staff@example.com", "members": ["a@example.com"], "owners": [],
         "who_can_post": "members", "reply_to": "sender"},
    ]}))
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(f"customer_id,address\n{customers[5].customer_id},"
                        "accountant@firm.example.net\n")
    return Guard.from_settings(make_settings(directory=[str(directory)],
                                             authorized_contacts=str(contacts)))


@pytest.mark.parametrize("name", CASES, ids=list(CASES))
def test_rule_table(name: str, rule_guard: Guard, customers: list[Customer],
                    make_mail: Callable[..., bytes]) -> None:
    case = CASES[name]
    raw = make_mail(case.body(customers), sender=case.sender, to=case.to(customers), cc=case.cc,
                    reply_to=case.reply_to)
    rcpts = case.rcpts(customers) if case.rcpts else []
    verdict = rule_guard.check(raw, mail_from=case.sender, rcpts=rcpts)
    assert {rule.rule for rule in verdict.rules} == case.fired
    expected_action = "allow" if not case.fired else (
        "warn" if case.fired == {"sensitive_request"} else "quarantine")
    assert verdict.action == expected_action


@pytest.mark.parametrize(("header", "number", "fired"), [
    ("Message-ID", "4118601747877260", set()),  # a random, Luhn-valid id: nobody's card
    ("Subject", "4118601747877260", {"unattributed_sensitive"}),
    ("Message-ID", None, {"cross_customer"}),  # another customer's card, even in an id
])
def test_numbers_in_message_ids(rule_guard: Guard, customers: list[Customer], header: str,
                                number: str | None, fired: set[str]) -> None:
    digits = number or "".join(ch for ch in customers[1].card if ch.isdigit())
    value = f"<{digits}@example.com>" if header == "Message-ID" else f"Card {digits}"
    headers = {"Message-ID": "<plain.id@example.com>", "Subject": "Your request", header: value}
    raw = (f"From: care@example.com\r\nTo: {customers[0].email}\r\n"
           + "".join(f"{name}: {text}\r\n" for name, text in headers.items())
           + "\r\nOur opening hours change next week.\r\n").encode()
    verdict = rule_guard.check(raw, mail_from="care@example.com", rcpts=[customers[0].email])
    assert {rule.rule for rule in verdict.rules} == fired


def test_bulk_send_holds_the_excess(make_settings: Callable[..., Settings],
                                    make_mail: Callable[..., bytes]) -> None:
    rule = {"mode": "sender", "max_recipients": 5}
    guard = Guard.from_settings(make_settings(rules={"bulk_send": rule}))
    actions = []
    for number in range(8):
        address = f"person{number}@example.org"
        raw = make_mail("Our opening hours change next week.", to=(address,))
        actions.append(guard.check(raw, mail_from="care@example.com", rcpts=[address]).action)
    assert actions == ["allow"] * 5 + ["quarantine"] * 3


def test_unreadable_content_is_held(make_settings: Callable[..., Settings],
                                    make_mail: Callable[..., bytes]) -> None:
    guard = Guard.from_settings(make_settings())
    encrypted_pdf = b"%PDF-1.4\n1 0 obj<</Filter/Standard>>\ntrailer<</Encrypt 1 0 R>>\n"
    bomb = _zip_bomb()
    raw = make_mail("See attached.", to=("x@example.org",),
                    attachments=(("bomb.zip", bomb, "application/zip"),
                                 ("doc.pdf", encrypted_pdf, "application/pdf")))
    verdict = guard.check(raw, mail_from="care@example.com")
    assert "unreadable_content" in {rule.rule for rule in verdict.rules}
    assert verdict.held


def test_an_outlook_item_that_cannot_be_opened_is_held(
        make_settings: Callable[..., Settings], make_mail: Callable[..., bytes]) -> None:
    """An OLE file with an Outlook item's streams that extract-msg cannot open was noted and
    let through unread."""
    item = renamed_stream(WORD97.read_bytes(), "WordDocument", "__properties_version1.0")
    raw = make_mail("See attached.", to=("x@example.org",),
                    attachments=(("case.msg", item, "application/vnd.ms-outlook"),))
    verdict = Guard.from_settings(make_settings()).check(raw, mail_from="care@example.com")
    assert "unreadable_msg" in {note.kind for note in verdict.notes}
    assert [rule.rule for rule in verdict.rules] == ["unreadable_content"] and verdict.held


@pytest.mark.parametrize(("note", "limits", "attachment"), [
    ("limit_text", {"max_text_chars": 1000}, ("list.csv", b"name\n" * 400, "text/csv")),
    ("limit_pdf_pages", {"max_pdf_pages": 1},
     ("s.pdf", documents.pdf([["page one"], ["page two"]]), "application/pdf")),
    ("bad_office_xml", {}, ("l.docx", documents.zip_bytes(
        {"word/document.xml": b"<w:document><w:body>unclosed"}), "application/octet-stream")),
])
def test_content_left_unread_is_held(note: str, limits: dict[str, int],
                                     attachment: tuple[str, bytes, str],
                                     make_settings: Callable[..., Settings],
                                     make_mail: Callable[..., bytes]) -> None:
    """Text past a limit, pages past the page limit, a document whose XML does not parse:
    what was not read could hold anything."""
    raw = make_mail("See attached.", to=("x@example.org",), attachments=(attachment,))
    settings = make_settings()
    settings = settings.model_copy(update={"parse": settings.parse.model_copy(update=limits)})
    verdict = Guard.from_settings(settings).check(raw, mail_from="care@example.com")
    assert note in {n.kind for n in verdict.notes}
    assert [rule.rule for rule in verdict.rules] == ["unreadable_content"] and verdict.held


def _zip_bomb() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.txt", b"\0" * 20_000_000)
    return buffer.getvalue()


@pytest.mark.parametrize("action", ["allow", "warn", "redact", "quarantine", "reject"])
def test_each_action_is_configurable(action: str, make_settings: Callable[..., Settings],
                                     customers: list[Customer],
                                     make_mail: Callable[..., bytes]) -> None:
    guard = Guard.from_settings(make_settings(rules={"cross_customer": {"action": action}}))
    raw = make_mail(f"Licence {customers[1].driver_licence}", to=(customers[0].email,))
    verdict = guard.check(raw, mail_from="care@example.com")
    assert verdict.action == action
    assert [rule.rule for rule in verdict.rules] == ["cross_customer"]


def test_strongest_action_wins(make_settings: Callable[..., Settings],
                               customers: list[Customer], make_mail: Callable[..., bytes]) -> None:
    guard = Guard.from_settings(make_settings(rules={"visible_recipients": {"action": "reject"}}))
    raw = make_mail(f"Licence {customers[2].driver_licence}",
                    to=(customers[0].email, customers[1].email))
    verdict = guard.check(raw, mail_from="care@example.com")
    assert {rule.rule: rule.action for rule in verdict.rules} == {
        "cross_customer": "quarantine", "visible_recipients": "reject"}
    assert verdict.action == "reject"


@pytest.mark.parametrize("scope", ["rule", "global"])
def test_monitor_mode_records_but_delivers(scope: str, make_settings: Callable[..., Settings],
                                           customers: list[Customer],
                                           make_mail: Callable[..., bytes]) -> None:
    policy: dict[str, object] = (
        {"rules": {"cross_customer": {"monitor": True}}} if scope == "rule" else {"monitor": True}
    )
    guard = Guard.from_settings(make_settings(**policy))
    raw = make_mail(f"Licence {customers[1].driver_licence}", to=(customers[0].email,))
    verdict = guard.check(raw, mail_from="care@example.com")
    assert verdict.action == "allow"
    assert [(rule.rule, rule.action, rule.monitor) for rule in verdict.rules] == [
        ("cross_customer", "quarantine", True)]


def test_disabled_rule_does_not_fire(make_settings: Callable[..., Settings],
                                     customers: list[Customer],
                                     make_mail: Callable[..., bytes]) -> None:
    guard = Guard.from_settings(make_settings(rules={"cross_customer": {"enabled": False}}))
    raw = make_mail(f"Licence {customers[1].driver_licence}", to=(customers[0].email,))
    assert guard.check(raw, mail_from="care@example.com").action == "allow"


def test_an_error_inside_a_rule_names_the_rule(make_settings: Callable[..., Settings],
                                               make_mail: Callable[..., bytes],
                                               tmp_path: Path) -> None:
    from crossguard.errors import StoreError
    from crossguard.store.settings import StoreSettings
    from crossguard.store.store import Store

    store = Store(StoreSettings(url=f"sqlite:///{tmp_path / 's.db'}", spool_dir=tmp_path / "sp"),
                  secret_key=None)
    store.close()  # the bulk-send counter now fails as a store that went away would
    guard = Guard.from_settings(make_settings(), counter=store.counter)
    raw = make_mail("Our opening hours change next week.", to=("x@example.org",))
    with pytest.raises(StoreError, match=r"store is closed \[rule=bulk_send\]"):
        guard.check(raw, mail_from="care@example.com", rcpts=["x@example.org"])


def test_a_to_list_counts_every_member_as_visible(make_settings: Callable[..., Settings],
                                                  make_mail: Callable[..., bytes],
                                                  tmp_path: Path) -> None:
    members = [f"customer{n}@mail.example.org" for n in range(200)]
    directory = tmp_path / "directory.json"
    directory.write_text(json.dumps({"groups": [
        {"address": "preorder-support@example.com", "members": [*members, "agent@example.com"],
         "owners": ["agent@example.com"], "who_can_post": "anyone", "reply_to": "list"}]}))
    guard = Guard.from_settings(make_settings(directory=[str(directory)]))
    raw = make_mail("Our opening hours change next week.", to=("preorder-support@example.com",))
    verdict = guard.check(raw, mail_from="agent@example.com")
    visible = next(rule for rule in verdict.rules if rule.rule == "visible_recipients")
    assert verdict.held
    assert "To preorder-support@example.com (a list of 200 external members)" in visible.reason
    assert "200 external recipients can see each other" in visible.reason
    assert not any(member in visible.reason for member in members)


def test_a_list_as_from_of_outbound_mail_is_critical_by_default(
        rule_guard: Guard, customers: list[Customer], make_mail: Callable[..., bytes]) -> None:
    raw = make_mail("Our opening hours change next week.", sender=SUPPORT,
                    to=(customers[7].email,))
    verdict = rule_guard.check(raw, mail_from=SUPPORT)
    assert [(r.rule, r.severity) for r in verdict.rules if r.rule == "reply_path"] == [
        ("reply_path", "critical")]
