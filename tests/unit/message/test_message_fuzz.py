"""Hypothesis: parse_message never raises anything but MessageParseError."""

from __future__ import annotations

from random import Random

from hypothesis import given, settings
from hypothesis import strategies as st

from crossguard.errors import MessageParseError
from crossguard.message import Message, ParseLimits, parse_message
from crossguard.synth.malformed import sample

LIMITS = ParseLimits(max_depth=12, max_parts=60)
FUZZ = settings(max_examples=250, deadline=None, database=None)

SEEDS = [
    sample(kind, Random(n)).raw
    for n, kind in enumerate(
        [
            "plain",
            "html",
            "pdf_attachment",
            "office_attachments",
            "zip_attachment",
            "nested_rfc822",
            "broken_base64",
            "bad_quoted_printable",
            "encrypted_zip",
        ]
    )
]

TOKENS = [
    b"From: a@x.test\r\n",
    b"To: =?utf-8?b?w6Q=?= <b@y.test>, \r\n",
    b"Subject: =?x?q?a?=\r\n",
    b"Content-Type: multipart/mixed; boundary=b\r\n",
    b"Content-Type: message/rfc822\r\n",
    b"Content-Type: text/html; charset=x-bad\r\n",
    b'Content-Type: text/plain; charset="utf-8\xf5"\r\n',
    b"Content-Type: application/pdf\r\n",
    b"Content-Type: application/zip; name=a.zip\r\n",
    b"Content-Disposition: attachment; filename*=UTF-8''%FF\r\n",
    b"Content-Transfer-Encoding: base64\r\n",
    b"Content-Transfer-Encoding: quoted-printable\r\n",
    b"Content-Transfer-Encoding: x-uuencode\r\n",
    b"\r\n",
    b"--b\r\n",
    b"--b--\r\n",
    b"=ZZ=\r\n",
    b"aGVsbG8=\r\n",
    b"begin 644 x\r\n",
    b"PK\x03\x04",
    b"%PDF-1.4\n",
    b"<p>&amp;<script>",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"\xff\xfe\x00",
    b" folded\r\n",
]


def test_charset_name_with_a_raw_byte_is_a_note_not_a_crash() -> None:
    """Found by test_mutated_valid_messages: the stdlib raised UnicodeEncodeError here."""
    raw = b'Content-Type: text/plain; charset="utf-8\xf5"\r\n\r\nbody \xe9\r\n'
    message = parse_message(raw, LIMITS)
    assert [note.kind for note in message.notes] == ["unknown_charset"]
    assert message.parts[0].text.startswith("body ")


def _check(raw: bytes) -> None:
    try:
        message = parse_message(raw, LIMITS)
    except MessageParseError:
        return
    assert isinstance(message, Message)
    assert not [note for note in message.notes if note.kind == "internal_error"]


@FUZZ
@given(st.binary(max_size=3000))
def test_arbitrary_bytes(raw: bytes) -> None:
    _check(raw)


@FUZZ
@given(st.lists(st.sampled_from(TOKENS) | st.binary(max_size=20), max_size=60))
def test_mime_token_soup(tokens: list[bytes]) -> None:
    _check(b"".join(tokens))


_mutation = st.tuples(
    st.sampled_from(["flip", "cut", "insert", "delete", "duplicate"]),
    st.floats(0, 1),
    st.binary(min_size=1, max_size=16),
)


@FUZZ
@given(st.sampled_from(SEEDS), st.lists(_mutation, min_size=1, max_size=6))
def test_mutated_valid_messages(seed: bytes, mutations: list[tuple[str, float, bytes]]) -> None:
    data = bytearray(seed)
    for operation, where, junk in mutations:
        at = int(where * len(data))
        if operation == "flip" and at < len(data):
            data[at] ^= junk[0] or 0x20
        elif operation == "cut":
            del data[at:]
        elif operation == "insert":
            data[at:at] = junk
        elif operation == "delete":
            del data[at : at + len(junk) * 8]
        else:
            data[at:at] = data[max(0, at - 200) : at]
    _check(bytes(data))
