"""Hypothesis: parse_message never raises anything but MessageParseError."""

from __future__ import annotations

from email.message import Message as EmailMessage
from email.parser import BytesParser
from email.utils import collapse_rfc2231_value
from random import Random

from hypothesis import example, given, settings
from hypothesis import strategies as st

from crossguard.errors import MessageParseError
from crossguard.message import Message, ParseLimits, mime, parse_message
from crossguard.message.headers import RAW_POLICY
from crossguard.message.mime import parse_bytes
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


_HEADER_LINES = ["Subject: hi", "To: a@example.net", " folded on", "From someone",
                 "no colon here", "Content-Type: text/plain", "Message-ID: <m@x>",
                 "Content-Type: multipart/mixed; boundary=b", "Content-Type: Message/rfc822",
                 "Content-Type: multipart /mixed", "X: a\x0bY: b", "", "caf\xe9: x",
                 "From a@example.net Mon Mar  2 09:00:00 2026", ": no name", "Subject:x\ty",
                 "X-Long: " + "w" * 8200]
_BODY_LINES = ["", "--b", "--b--", "Subject: inner", ">From x", "caf\xe9", "body 4111 1111"]
_ENDINGS = ["\n", "\r\n", "\r", "\x0c", "\x1c"]


def _lines(texts: list[str], weight: int) -> st.SearchStrategy[list[tuple[str, str]]]:
    """Lines of ``texts``, most ending as mail lines do."""
    endings = st.sampled_from(["\n"] * weight + ["\r\n"] * weight + _ENDINGS)
    return st.lists(st.tuples(st.sampled_from(texts), endings), max_size=8)


def _tree(entity: EmailMessage) -> object:
    """Everything the parser set on ``entity`` and its parts, defects by type and text."""
    fields = {name: value for name, value in vars(entity).items() if name != "defects"}
    payload = entity.get_payload()
    if isinstance(payload, list):
        fields["_payload"] = [_tree(part) for part in payload]
    defects = [(type(defect), str(defect)) for defect in entity.defects]
    return fields, defects


@FUZZ
@given(_lines(_HEADER_LINES, 4), st.sampled_from(["\n", "\r\n", "\r", ""]),
       _lines(_BODY_LINES, 1))
@example([("Content-Type: Message/rfc822", "\n")], "\n", [("Subject: inner", "\n")])
@example([("Subject: hi", "\r\n")], "\r\n", [("caf\xe9", "\n")])
@example([(" folded on", "\n"), ("Subject: hi", "\n")], "\n", [])
@example([("Subject: hi", "\n"), ("From a@example.net Mon Mar  2 09:00:00 2026", "\n")], "\n", [])
@example([("Subject: hi", "\r"), (": no name", "\n")], "\n", [])
@example([("X: a\x0bY: b", "\n")], "\n", [("body 4111 1111", "\n")])
def test_a_message_reads_as_the_parser_reads_it_whole(
        head: list[tuple[str, str]], blank: str, body: list[tuple[str, str]]) -> None:
    """parse_bytes takes a single part's header block alone: the tree is the parser's."""
    raw = "".join(line + ending for line, ending in [*head, ("", blank), *body])
    whole = BytesParser(policy=RAW_POLICY).parsebytes(raw.encode("latin-1"))
    assert _tree(parse_bytes(raw.encode("latin-1"))) == _tree(whole)


_PARAMETER_WORDS = st.sampled_from(["charset", "CharSet", " charset ", "charset*", "charset*0*",
                                    "name", "text/plain", "utf-8", "<utf-8>", "<>", '"x"',
                                    '"utf-8"', '"a;b"', '"', '"<"',
                                    "\\", "\u0130", "\t", "", "utf-8''%FF", "\udce9''%FF"])


@FUZZ
@given(st.lists(st.tuples(_PARAMETER_WORDS, st.sampled_from(["", "=", " = ", "=="]),
                          _PARAMETER_WORDS), max_size=4),
       st.sampled_from([";", "; ", " ;"]))
@example([("charset", "", ""), ("charset", "=", "utf-8")], ";")
@example([("text/plain", "", ""), ("charset", "=", "<<utf-8>>")], ";")
@example([("text/plain", "", ""), ("charset", "=", '"utf-8"')], "; ")
@example([("charset", "=", '"a;b"')], ";")
@example([("text/plain", "", ""), ("charset*", "=", "utf-8"), ("charset*0*", "=", "utf-8")], ";")
@example([("text/plain", "", ""), ("charset*", "=", "\udce9''%FF")], ";")
def test_the_charset_reads_as_get_param_reads_it(
        pieces: list[tuple[str, str, str]], separator: str) -> None:
    """A part's charset is what the stdlib's parameter parser gives, however it is written;
    None where the stdlib fails (``charset*`` beside ``charset*0*``, undecodable bytes)."""
    entity = BytesParser(policy=RAW_POLICY).parsebytes(b"Subject: x\n\nbody\n")
    entity["Content-Type"] = separator.join("".join(piece) for piece in pieces)
    try:
        found = entity.get_param("charset")
        expected = collapse_rfc2231_value(found) if found else None
    except mime.EMAIL_READ_ERRORS:
        expected = None
    assert mime._charset(entity) == expected
