"""Parties, ids, subject and date from headers (table tests)."""

from __future__ import annotations

from email.utils import getaddresses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from message_builders import mail, parse

from crossguard.message import ParseLimits, parse_message
from crossguard.message.headers import addresses, unfold
from crossguard.policy.settings import UnreadableContentRule

PARTY_CASES = [
    # (header, value, field, expected)
    ("From", "Ana Silva <Ana.Silva@Mail.TEST>", "from_", ["ana.silva@mail.test"]),
    ("From", "ana@mail.test", "from_", ["ana@mail.test"]),
    ("To", "a@x.test, B <b@x.test>, a@x.test", "to", ["a@x.test", "b@x.test"]),
    ("To", '"Silva, Ana" <ana@x.test>, ben@x.test', "to", ["ana@x.test", "ben@x.test"]),
    ("To", "=?utf-8?q?J=C3=B6rn_Reder?= <joern@zyn.test>", "to", ["joern@zyn.test"]),
    ("To", "=?iso-8859-1?b?S2VsZCBK+HJu?= <keld@dk.test>", "to", ["keld@dk.test"]),
    ("To", "customers: a@x.test, b@x.test;", "to", ["a@x.test", "b@x.test"]),
    ("To", "undisclosed-recipients:;", "to", []),
    ("To", "localname", "to", []),
    ("Cc", "c@x.test (comment)", "cc", ["c@x.test"]),
    ("Reply-To", "list@support.test", "reply_to", ["list@support.test"]),
    ("Sender", "Bulk <bulk@support.test>", "sender", ["bulk@support.test"]),
]


@pytest.mark.parametrize(("header", "value", "field", "expected"), PARTY_CASES)
def test_parties(header: str, value: str, field: str, expected: list[str]) -> None:
    raw = f"{header}: {value}\r\nSubject: s\r\n\r\nbody\r\n".encode()
    assert getattr(parse(raw), field) == expected


def test_folded_and_repeated_address_headers() -> None:
    raw = b"To: a@x.test,\r\n b@x.test\r\nTo: c@x.test\r\n\r\nbody\r\n"
    assert parse(raw).to == ["a@x.test", "b@x.test", "c@x.test"]


def test_eight_bit_display_name_keeps_address() -> None:
    raw = "From: J\u00f6rn <joern@zyn.test>\r\n\r\nbody\r\n".encode()
    assert parse(raw).from_ == ["joern@zyn.test"]


ID_CASES = [
    ("Message-ID", " <abc@host.test> ", "message_id", "<abc@host.test>"),
    ("Message-ID", "abc@host.test", "message_id", "abc@host.test"),
    ("In-Reply-To", "<x@h.test> (comment)", "in_reply_to", "<x@h.test>"),
    (
        "References",
        "<a@h.test>\r\n <b@h.test> <c@h.test>",
        "references",
        ["<a@h.test>", "<b@h.test>", "<c@h.test>"],
    ),
    ("Subject", "=?utf-8?b?w4RyZ2VyIG1pdCBCZXN0ZWxsdW5n?=", "subject", "\u00c4rger mit Bestellung"),
    ("Subject", "=?utf-8?q?Re:?= =?utf-8?q?_your_order?=", "subject", "Re: your order"),
    ("Subject", "plain\r\n folded subject", "subject", "plain folded subject"),
    ("Subject", "=?x-unknown?q?hello?=", "subject", "hello"),
    ("Subject", "=?utf-8?b?broken!!?=", "subject", "=?utf-8?b?broken!!?="),
    ("Date", "Mon, 02 Mar 2026 09:00:00 +0000", "date", "Mon, 02 Mar 2026 09:00:00 +0000"),
]


@pytest.mark.parametrize(("header", "value", "field", "expected"), ID_CASES)
def test_ids_subject_date(header: str, value: str, field: str, expected: object) -> None:
    raw = f"From: a@x.test\r\n{header}: {value}\r\n\r\nbody\r\n".encode()
    assert getattr(parse(raw), field) == expected


def test_missing_headers_are_empty() -> None:
    message = parse(b"From: a@x.test\r\n\r\nbody\r\n")
    assert (message.to, message.message_id, message.subject, message.date) == ([], None, "", None)


def test_envelope_is_kept_lower_cased(limits: ParseLimits) -> None:
    raw = mail(From="a@x.test", To="b@x.test").as_bytes()
    message = parse_message(raw, limits, envelope_from="A@X.test", envelope_rcpts=["C@Y.test"])
    assert message.envelope_from == "a@x.test"
    assert message.recipients == ["c@y.test"]
    assert message.size == len(raw)


def test_long_header_is_cut_and_noted() -> None:
    limits = ParseLimits(max_header_chars=50)
    raw = ("To: " + ", ".join(f"user{n}@x.test" for n in range(20)) + "\r\n\r\nbody\r\n").encode()
    message = parse(raw, limits)
    assert "limit_header" in {note.kind for note in message.notes}
    assert message.to[0] == "user0@x.test"
    assert len(message.to) < 20


def test_any_long_header_field_is_noted_where_it_is_cut() -> None:
    """Past the limit a field goes unread: an X- field at the top, a field of an attached
    message. The note is held by unreadable_content; it names no field (a name can hold
    an identifier)."""
    limits = ParseLimits(max_header_chars=200)
    long = "word " * 60 + "SSN 536-22-1947"
    raw = f"From: a@x.test\r\nX-Note: {long}\r\n\r\nbody\r\n".encode()
    assert [(n.kind, n.part) for n in parse(raw, limits).notes] == [("limit_header", "")]
    outer = mail("see attached", From="a@x.test", To="b@y.test")
    outer.add_attachment(raw, maintype="message", subtype="rfc822", filename="fwd.eml")
    notes = parse(outer.as_bytes(), limits).notes
    assert [(n.kind, n.part) for n in notes] == [("limit_header", "2/message/headers")]
    assert all("note" not in n.reason.lower() for n in notes)
    assert "limit_header" in UnreadableContentRule().note_kinds


def _reference(text: str) -> list[str]:
    """What getaddresses alone makes of one header value (the slow path)."""
    found: dict[str, None] = {}
    for _name, address in getaddresses([unfold(text, 1000)]):
        address = address.strip().strip("<>").strip().lower()
        if "@" in address and not any(char.isspace() for char in address):
            found[address] = None
    return list(found)


FAST_PATH_CASES = [
    "a@x.test",
    "A@X.test, b@y.test",
    "Ana Silva <ana@x.test>",
    '"Silva Ana" <ana@x.test>, <b@y.test>',
    "Ana J. Silva <ana@x.test>,, ben@y.test ,",
    '"Silva, Ana" <ana@x.test>',
    "ana@x.test (Ana)",
    "group: a@x.test;",
    "ana@x.test <ana@x.test>",
    "Ana <a@x.test> extra",
    "<a@x.test>",
    "a@x.test b@y.test",
    '"@"',  # a quoted string alone is a local part, not a display name
    '"a@x.test"',
    '"ana" a@x.test',
    '"a@x.test" <b@y.test>',
]


@pytest.mark.parametrize("text", FAST_PATH_CASES)
def test_address_fast_path_matches_getaddresses(text: str) -> None:
    assert addresses([text], 1000) == _reference(text)


@settings(max_examples=500, deadline=None, database=None)
@given(
    st.lists(st.text(alphabet='ab@.<>", ():;\\x\u00e9-_+\t', max_size=12), max_size=4).map(
        ", ".join
    )
)
def test_address_fast_path_agrees_with_getaddresses(text: str) -> None:
    assert addresses([text], 1000) == _reference(text)
