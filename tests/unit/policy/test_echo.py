"""Echoed data: a reply that quotes a customer's own message back to the address it came from
exposes no one, whatever address that is; what the sender writes is still theirs."""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage

import pytest

from crossguard.config import Settings
from crossguard.policy.echo import Quoted, author_at, own_text, quoted
from crossguard.scan import Guard
from crossguard.synth.customers import Customer

NEW = "rachel@work.example.org"  # an address the customer table does not know


def test_the_quoted_copy_below_a_wrote_line_is_its_authors() -> None:
    text = ("Thanks, we are on it.\n\nOn Mon, 7 Dec 2026 at 10:00, Rachel Hayes <Rachel@Work"
            ".example.org> wrote:\n> my phone is 555\n>\n> Rachel\n\nCare team\n")
    [span] = quoted(text)
    assert span.author == NEW and text[span.start:span.end] == "\n> my phone is 555\n>\n> Rachel"
    assert author_at([span], text.index("555"), text.index("555") + 3) == NEW
    assert author_at([span], text.index("Care"), text.index("Care") + 4) is None


@pytest.mark.parametrize("head", [
    "Am 07.12.2026 um 10:00 schrieb Rachel Hayes <rachel@work.example.org>:",
    "Le lun. 7 déc. 2026 à 10:00, Rachel Hayes <rachel@work.example.org> a écrit :",
    "El lun, 7 dic 2026 a las 10:00, Rachel Hayes (<rachel@work.example.org>) escribió:",
    "On Mon, Dec 7, 2026 at 10:00 AM Rachel Hayes <rachel@work.example.org>\nwrote:",
])
def test_wrote_lines_of_other_languages_and_wrapped(head: str) -> None:
    [span] = quoted(f"Danke.\n\n{head}\n> Telefon 555\n")
    assert span.author == NEW


def test_a_header_block_quotes_everything_below_it_and_nests() -> None:
    """Outlook quotes without marks, below a From/Sent block; a quote inside a quote is its
    own author's."""
    text = ("Done.\n\n-----Original Message-----\nFrom: Rachel Hayes <rachel@work.example.org>\n"
            "Sent: Monday, December 7, 2026 10:00 AM\nTo: Care <care@example.com>\n"
            "Subject: order\n\nmy phone is 555\n\nOn Sun, 6 Dec 2026, Care <care@example.com>"
            " wrote:\n> your order 777\n")
    spans = quoted(text)
    assert [span.author for span in spans] == [NEW, "care@example.com"]
    assert author_at(spans, text.index("555"), text.index("555") + 3) == NEW
    assert author_at(spans, text.index("777"), text.index("777") + 3) == "care@example.com"


def test_own_text_ends_at_the_first_quote_head_of_any_language() -> None:
    """What the sender wrote (read by bulk_send's template and sensitive_request): no ``>``
    line, nothing from a "wrote" line or a quoted header block down."""
    assert own_text("mine\n\nOn Mon, 2 Mar 2026, Ana wrote:\n> theirs\nmore") == "mine\n"
    assert own_text("Merci.\nLe lun. 7 déc. 2026, Ana <a@x.test> a écrit :\ntheirs") == "Merci."
    assert own_text("Danke.\n\nVon: Ana <a@x.test>\nGesendet: Montag\n\ntheirs") == "Danke.\n"
    assert own_text("Ship to:\nFrom: the warehouse\n> old\nsoon") == (
        "Ship to:\nFrom: the warehouse\nsoon")  # no "wrote" word, no date line: no head


def test_no_author_or_two_authors_is_no_quote() -> None:
    assert quoted("On Monday Rachel wrote:\n> 555\n") == []
    assert quoted("On Monday a@x.test and b@x.test wrote:\n> 555\n") == []
    assert quoted("From: a@x.test\nHello\n\nmore text\n") == []  # no date line: no block
    assert author_at([Quoted(5, 9, NEW)], 3, 7) is None  # not wholly inside


def _reply(customer: Customer, own: str, quoted_text: str, *, author: str = NEW,
           to: str = NEW, cc: str | None = None, html: str = "", subject: str = "Re: help"
           ) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "care@example.com", to, subject
    if cc:
        message["Cc"] = cc
    message["In-Reply-To"] = "<question.1@mail.example.org>"
    quote = "\n".join(f"> {line}" for line in quoted_text.splitlines())
    message.set_content(f"{own}\n\nOn Mon, 7 Dec 2026 at 10:00, {customer.name} <{author}> "
                        f"wrote:\n{quote}\n")
    block = quoted_text.replace("\n", "<br>")
    if html == "outlook":  # a header block, the message below it unmarked
        message.add_alternative(
            f"<p>{own}</p><hr><p><b>From:</b> {customer.name} &lt;{author}&gt;<br><b>Sent:</b>"
            f" Monday, December 7, 2026 10:00 AM<br><b>Subject:</b> help</p><p>{block}</p>",
            subtype="html")
    elif html == "blockquote":  # Gmail, Apple Mail, Thunderbird, help desks
        message.add_alternative(
            f"<p>{own}</p><div>On Mon, 7 Dec 2026 at 10:00, {customer.name} &lt;{author}&gt; "
            f"wrote:<br></div><blockquote type=\"cite\"><div>{block}</div></blockquote>",
            subtype="html")
    return message.as_bytes()


def _question(customer: Customer) -> str:
    return (f"Hello, my order {customer.order_ids[0]} has not arrived.\n"
            f"Please call me on {customer.phone}.\n{customer.name}")


@pytest.fixture
def guard(make_settings: Callable[..., Settings]) -> Guard:
    return Guard.from_settings(make_settings())


def test_quoting_a_customers_own_message_back_is_allowed(guard: Guard,
                                                         customers: list[Customer]) -> None:
    """Written from an unknown address, answered with a greeting and a quote (text and
    Outlook- and Gmail-style HTML): nothing the recipient did not write."""
    rachel = customers[5]
    for html in ("", "outlook", "blockquote"):
        raw = _reply(rachel, f"Dear {rachel.name}, we are on it.", _question(rachel), html=html)
        evaluation = guard.evaluate(raw, mail_from="care@example.com")
        verdict = evaluation.verdict
        assert [a.customer_id for a in verdict.attributions] == [rachel.customer_id]
        assert verdict.action == "allow", verdict.rules
        assert evaluation.unauthorized_recipients(verdict.attributions[0]) == []  # incidents


@pytest.mark.parametrize("case", ["own text", "inline", "other author", "cc", "no reply"])
def test_what_the_sender_adds_is_still_held(guard: Guard, customers: list[Customer],
                                           case: str) -> None:
    rachel, other = customers[5], customers[6]
    question = _question(rachel)
    if case == "own text":  # the reply itself writes her address to an unverified one
        raw = _reply(rachel, f"We will ship to {rachel.street}, {rachel.postcode}, card "
                             f"{rachel.card}.", question)
    elif case == "inline":  # an answer written between the quoted lines is the sender's
        raw = _reply(rachel, "See below.", f"{question}\nWhat card do you hold?\n")
        raw = raw.replace(b"> What card", f"Card {rachel.card} is on file.\n> What".encode())
    elif case == "other author":  # her message answered to someone else: the wrong thread
        raw = _reply(rachel, "Thanks.", question, to=other.email)
    elif case == "cc":  # a copy to someone else: that recipient did not write it
        raw = _reply(rachel, "Thanks.", question, cc=other.email)
    else:  # a new message is no reply: what it quotes, the sender chose to send
        raw = _reply(rachel, "Thanks.", question).replace(
            b"In-Reply-To: <question.1@mail.example.org>\n", b"")
    verdict = guard.check(raw, mail_from="care@example.com")
    assert "cross_customer" in [rule.rule for rule in verdict.rules], case


@pytest.mark.parametrize(("subject", "held"), [
    ("Re: Order {0} not delivered", False),  # the order number she wrote, repeated
    ("AW: Bestellung {0}", False),
    ("Order {0} not delivered", True),  # no reply: the sender wrote the subject
    ("Re: Order {1}", True),  # another of her orders, which her message does not hold
])
def test_a_replys_subject_repeats_what_the_quote_holds(
        guard: Guard, customers: list[Customer], subject: str, held: bool) -> None:
    rachel = customers[5]
    raw = _reply(rachel, "We are on it.", _question(rachel),
                 subject=subject.format(*rachel.order_ids))
    verdict = guard.check(raw, mail_from="care@example.com")
    assert ("cross_customer" in [rule.rule for rule in verdict.rules]) is held
