"""Every body an Outlook item carries is read: plain text, HTML, RTF and a contact's fields."""

from __future__ import annotations

import pytest
from message_builders import attach, part
from tests.corpus.outlook import ANSI_TEXT_BODY, HTML_BODY, RTF_BODY, compressed_rtf, edited

from crossguard.message import Message

MSG = "application/vnd.ms-outlook"
INSIDE = "2/attachment:fwd.msg/message"


def _holding(message: Message, text: str) -> list[str]:
    return [p.path for p in message.parts if text in (p.text or "")]


def test_an_html_body_is_read_beside_the_plain_one() -> None:
    """The plain body says thanks; the HTML one Outlook shows holds an SSN."""
    html = b"<html><body><p>Thanks</p><p style='display:none'>SSN 536-22-1947</p></body></html>"
    message = attach(edited("unicode.msg", {HTML_BODY: html}), "fwd.msg", MSG)
    assert part(message, f"{INSIDE}/1").text.startswith("This is a test email")
    assert _holding(message, "536-22-1947") == [f"{INSIDE}/1/html"]


def test_an_rtf_body_is_read_beside_the_plain_one() -> None:
    rtf = compressed_rtf(rb"{\rtf1\ansi\fromtext Thanks\par Card 4111 1111 1111 1111\par}")
    message = attach(edited("unicode.msg", {RTF_BODY: rtf}), "fwd.msg", MSG)
    assert _holding(message, "4111 1111 1111 1111") == [f"{INSIDE}/1/rtf"]


def test_a_contacts_fields_are_read_when_it_has_notes_too() -> None:
    notes = b"Call back after lunch."
    message = attach(edited("contact-plain.msg", {ANSI_TEXT_BODY: notes}), "card.msg", MSG)
    assert part(message, "2/attachment:card.msg/message/1").text == "Call back after lunch."
    fields = part(message, "2/attachment:card.msg/message/1/fields").text
    assert "A completely bogus contact" in fields


def test_an_html_body_wrapped_in_rtf_is_read_by_the_rtf_reader(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Not by extract-msg's de-encapsulation (RTFDE): 5 s for a 500 KB body, before."""
    from extract_msg.msg_classes.message_base import MessageBase

    calls: list[object] = []
    original = MessageBase.deencapsulateBody
    monkeypatch.setattr(MessageBase, "deencapsulateBody",
                        lambda self, *args: calls.append(args) or original(self, *args))
    rtf = compressed_rtf(rb"{\rtf1\ansi\fromhtml1 {\*\htmltag <p>}SSN 536-22-1947"
                         rb"{\*\htmltag </p>}\par}")
    message = attach(edited("unicode.msg", {RTF_BODY: rtf}), "fwd.msg", MSG)
    assert _holding(message, "536-22-1947") == [f"{INSIDE}/1/rtf/html"]
    assert not calls
