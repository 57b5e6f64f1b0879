"""Parts and provenance paths, transfer encodings and charsets (table tests)."""

from __future__ import annotations

import base64
import binascii
from email.message import EmailMessage

import pytest
from message_builders import mail, note_kinds, parse, part, paths

from crossguard.synth import documents


def _alternative() -> EmailMessage:
    message = mail("plain body", From="a@x.test")
    message.add_alternative("<p>html body</p>", subtype="html")
    return message


def _with_attachment() -> EmailMessage:
    message = mail("see attached", From="a@x.test")
    message.add_attachment(b"a,b\n1,2\n", maintype="text", subtype="csv", filename="list.csv")
    return message


def _alternative_and_attachment() -> EmailMessage:
    message = _alternative()
    message.make_mixed()
    message.add_attachment(
        documents.pdf([["page"]]), maintype="application", subtype="pdf", filename="statement.pdf"
    )
    return message


def _forwarded() -> EmailMessage:
    message = mail("fwd below", From="a@x.test")
    inner = _with_attachment()
    inner.replace_header("From", "Ben <ben@y.test>")
    message.add_attachment(inner)
    return message


def _zip_in_mail() -> EmailMessage:
    message = mail("archive", From="a@x.test")
    data = documents.zip_bytes(
        {
            "a.txt": b"alpha",
            "inner/b.docx": documents.docx(["bravo"]),
            "c.zip": documents.zip_bytes({"d.txt": b"delta"}),
        }
    )
    message.add_attachment(data, maintype="application", subtype="zip", filename="a.zip")
    return message


PATH_CASES = [
    ("single", lambda: mail("x", From="a@x.test"), ["1"]),
    ("alternative", _alternative, ["1", "2"]),
    ("attachment", _with_attachment, ["1", "2/attachment:list.csv"]),
    ("mixed", _alternative_and_attachment, ["1.1", "1.2", "2/attachment:statement.pdf"]),
    (
        "rfc822",
        _forwarded,
        ["1", "2/message/headers", "2/message/1", "2/message/2/attachment:list.csv"],
    ),
    (
        "zip",
        _zip_in_mail,
        [
            "1",
            "2/attachment:a.zip",
            "2/attachment:a.zip/a.txt",
            "2/attachment:a.zip/inner/b.docx",
            "2/attachment:a.zip/c.zip",
            "2/attachment:a.zip/c.zip/d.txt",
        ],
    ),
]


@pytest.mark.parametrize(("name", "build", "expected"), PATH_CASES, ids=[c[0] for c in PATH_CASES])
def test_paths(name: str, build: object, expected: list[str]) -> None:
    message = parse(build())  # type: ignore[operator]
    assert paths(message) == expected
    assert message.notes == []


def test_part_fields() -> None:
    message = parse(_zip_in_mail())
    archive = part(message, "2/attachment:a.zip")
    assert (archive.filename, archive.content_type, archive.is_attachment) == (
        "a.zip",
        "application/zip",
        True,
    )
    assert part(message, "2/attachment:a.zip/inner/b.docx").text.strip() == "bravo"
    assert part(message, "2/attachment:a.zip/c.zip/d.txt").text == "delta"
    assert part(message, "1").is_attachment is False


def test_nested_headers_part_names_the_inner_parties() -> None:
    text = part(parse(_forwarded()), "2/message/headers").text
    assert "From: Ben <ben@y.test>" in text


def test_filename_rfc2231_and_rfc2047() -> None:
    raw = (
        b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
        b"Content-Type: text/plain\r\n"
        b"Content-Disposition: attachment; filename*=UTF-8''%C3%A4rger.txt\r\n\r\nx\r\n--b\r\n"
        b'Content-Type: text/plain; name="=?koi8-r?B?89DJ08/LLmRvYw==?="\r\n\r\ny\r\n--b--\r\n'
    )
    assert paths(parse(raw)) == [
        "1/attachment:\u00e4rger.txt",
        "2/attachment:\u0421\u043f\u0438\u0441\u043e\u043a.doc",
    ]


def test_filename_path_separators_are_replaced() -> None:
    message = mail("x")
    message.add_attachment(b"data", maintype="text", subtype="plain", filename="../../etc/passwd")
    assert paths(parse(message))[1] == "2/attachment:.._.._etc_passwd"


def _leaf(headers: str, body: bytes) -> bytes:
    return f"From: a@x.test\r\n{headers}\r\n\r\n".encode() + body


TEXT_CASES = [
    # (headers, body, expected text, expected note kinds)
    ("Content-Type: text/plain; charset=utf-8", "caf\u00e9".encode(), "caf\u00e9", set()),
    ("Content-Type: text/plain; charset=iso-8859-1", b"caf\xe9", "caf\u00e9", set()),
    ('Content-Type: text/plain; charset="WINDOWS-1252"', b"\x93q\x94", "\u201cq\u201d", set()),
    ("Content-Type: text/plain", "caf\u00e9".encode(), "caf\u00e9", set()),
    ("Content-Type: text/plain", b"caf\xe9", "caf\u00e9", set()),
    (
        "Content-Type: text/plain; charset=us-ascii",
        "caf\u00e9".encode(),
        "caf\u00e9",
        {"charset_mismatch"},
    ),
    ("Content-Type: text/plain; charset=utf-8", b"caf\xe9", "caf\u00e9", {"charset_mismatch"}),
    ("Content-Type: text/plain; charset=x-klingon", b"caf\xe9", "caf\u00e9", {"unknown_charset"}),
    ("Content-Type: text/plain; charset=rot13", b"abc", "abc", {"unknown_charset"}),
    ("Content-Type: text/plain; charset=punycode", b"abc", "abc", {"unknown_charset"}),
    # The stdlib's parameter parser fails on these continuations: read as no charset.
    ("Content-Type: text/plain; charset*=utf-8; charset*0*=utf-8", "caf\u00e9".encode(),
     "caf\u00e9", set()),
    (
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64",
        base64.b64encode("caf\u00e9 ok".encode()),
        "caf\u00e9 ok",
        set(),
    ),
    ("Content-Transfer-Encoding: base64", b"aGVsbG8gd29ybGQ", "hello world", {"bad_base64"}),
    ("Content-Transfer-Encoding: base64", b"aGVs*bG8g!d29y\r\nbGQ=", "hello world", {"bad_base64"}),
    ("Content-Transfer-Encoding: base64", b"aGVsbG8=IHdvcmxk", "hello world", set()),
    ("Content-Transfer-Encoding: base64", b"aGVsbG8gd29ybGQhI", "hello world!", {"bad_base64"}),
    ("Content-Transfer-Encoding: quoted-printable", b"caf=C3=A9 =\r\nend", "caf\u00e9 end", set()),
    (
        "Content-Transfer-Encoding: quoted-printable",
        b"bad =ZZ escape",
        "bad =ZZ escape",
        {"bad_quoted_printable"},
    ),
    (
        "Content-Transfer-Encoding: x-uuencode",
        b"begin 644 a.txt\r\n%:&5L;&\\`\r\n`\r\nend\r\n",
        "hello",
        set(),
    ),
    ("Content-Transfer-Encoding: x-gzip64", b"H4sIAJ", "H4sIAJ", {"unknown_transfer_encoding"}),
    ("Content-Type: text/html; charset=utf-8", b"<p>a&amp;b</p><script>x()</script>", "a&b", set()),
]


@pytest.mark.parametrize(("headers", "body", "text", "kinds"), TEXT_CASES)
def test_text_decoding(headers: str, body: bytes, text: str, kinds: set[str]) -> None:
    message = parse(_leaf(headers, body))
    assert message.parts[0].text.strip() == text
    assert note_kinds(message) == kinds
    assert all(note.part == "1" for note in message.notes)


def test_a_boundary_the_parser_cannot_read_leaves_one_noted_text_part() -> None:
    """The stdlib's parser fails on ``boundary*`` beside ``boundary*0*`` (TypeError): the
    body is read as one text part, with a note, instead of the message failing to parse."""
    message = parse(_leaf("Content-Type: multipart/mixed; boundary*=bb; boundary*0*=bb",
                          b"--bb\r\nContent-Type: text/plain\r\n\r\nSSN 078-05-1120\r\n--bb--"))
    assert paths(message) == ["1"]
    assert "SSN 078-05-1120" in message.parts[0].text
    assert note_kinds(message) == {"mime_defect"}


def test_a_type_name_the_stdlib_cannot_decode_is_left_unread() -> None:
    """An RFC 2231 name whose charset holds a raw byte makes the stdlib raise
    UnicodeEncodeError: the part is read without that name."""
    message = parse(b"From: a@x.test\r\nContent-Type: application/octet-stream; "
                    b"name*=\xe9''%FF\r\nContent-Disposition: attachment\r\n\r\n"
                    b"SSN 536-22-1947\r\n")
    assert paths(message) == ["1"]
    assert "536-22-1947" in message.parts[0].text


def test_the_source_of_a_part_that_is_not_base64_is_read_too() -> None:
    """A part labelled base64 holding plain text decodes to noise (as in mail clients), but
    its source still shows the text: it is read as a ``/raw`` field; a sound one is not."""
    broken = parse(_leaf("Content-Transfer-Encoding: base64", b"SSN 536-22-1947 card 4111"))
    assert [(field.path, field.text) for field in broken.fields if field.path.endswith("/raw")
            ] == [("1/raw", "SSN 536-22-1947 card 4111")]
    sound = parse(_leaf("Content-Transfer-Encoding: base64", base64.b64encode(b"SSN 536-22")))
    assert sound.parts[0].text.strip() == "SSN 536-22"
    assert not [field for field in sound.fields if field.path.endswith("/raw")]


@pytest.mark.parametrize("body", [
    b"begin 644 a.txt\r\nSSN 536-22-1947 card 4111\r\nend\r\n",  # a line that is no uuencode
    b"begin 644 a.txt\r\n!!!! SSN 536-22-1947 card 4111\r\n`\r\nend\r\n",  # past its length
    b"SSN 536-22-1947 card 4111\r\nbegin 644 a.txt\r\n`\r\nend\r\n",  # before the block
    b"begin 644 a.txt\r\n`\r\nend\r\nSSN 536-22-1947 card 4111\r\n",  # after it
])
def test_the_source_of_a_part_uuencode_drops_text_of_is_read_too(body: bytes) -> None:
    """Text a uuencode decoder skips is hidden from the decoded part, not from the source:
    it is read as the ``/raw`` field, as for bad base64."""
    message = parse(_leaf("Content-Transfer-Encoding: x-uuencode", body))
    assert note_kinds(message) == {"bad_uuencode"}
    raw = [field.text for field in message.fields if field.path == "1/raw"]
    assert len(raw) == 1 and "SSN 536-22-1947 card 4111" in raw[0]


def test_a_sound_uuencoded_part_and_one_with_no_block_have_no_raw_field() -> None:
    """A whole uuencode block decodes with nothing lost (one character past a line's length
    is some encoders' checksum, not text); a body with no ``begin`` line is read as it is
    already (no second copy of its text)."""
    sound = parse(_leaf("Content-Transfer-Encoding: x-uuencode",
                        b"begin 644 a.txt\r\n" + binascii.b2a_uu(b"SSN 536-22-1947")[:-1]
                        + b"_\r\n`\r\nend\r\n"))
    assert sound.parts[0].text.strip() == "SSN 536-22-1947" and not note_kinds(sound)
    plain = parse(_leaf("Content-Transfer-Encoding: x-uuencode", b"SSN 536-22-1947\r\n"))
    assert plain.parts[0].text.strip() == "SSN 536-22-1947"
    assert not [field for field in sound.fields + plain.fields if field.path.endswith("/raw")]


def test_the_source_of_a_nested_message_that_is_not_base64_is_read_too() -> None:
    """The same for an attached message labelled base64 but written plain."""
    message = parse(b"From: a@x.test\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                    b"--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b\r\n"
                    b"Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                    b"Subject: x\r\n\r\nSSN 536-22-1947\r\n--b--\r\n")
    raw = [field for field in message.fields if field.path == "2/raw"]
    assert len(raw) == 1 and "SSN 536-22-1947" in raw[0].text


def test_notes_never_carry_content() -> None:
    secret = "4111111111111111"
    raw = _leaf("Content-Type: text/plain; charset=x-" + "a" * 80, f"card {secret} =ZZ".encode())
    message = parse(raw)
    assert message.notes
    assert all(secret not in note.reason and len(note.reason) < 200 for note in message.notes)
