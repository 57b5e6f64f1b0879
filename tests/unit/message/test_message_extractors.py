"""Each text extractor on fixtures built in the test."""

from __future__ import annotations

import base64
import email
import email.policy
import logging
import re
import zlib
from datetime import datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, pkcs7
from cryptography.x509.oid import NameOID
from message_builders import attach, mail, note_kinds, parse, part
from tests.corpus.legacy_office import WORD97, renamed_stream
from tests.corpus.samples import STATEMENT_LINES, statement_mail
from tests.corpus.shared import OUTLOOK_DATA

from crossguard.message import (
    ImageSettings,
    ParseLimits,
    parse_message,
    parse_outlook_msg,
)
from crossguard.message.extract.html import LARGE_HTML, html_to_text
from crossguard.synth import documents

HTML_CASES = [
    ("<p>one</p><p>two</p>", "one\ntwo"),
    ("a<br>b<br/>c", "a\nb\nc"),
    ("<div>x &amp; y &lt;z&gt; &#8364;5 &nbsp;&eacute;</div>", "x & y <z> \u20ac5 \u00e9"),
    ("<style>p{color:red}</style><script>var s='secret';</script><p>shown</p>", "shown"),
    (
        "<table><tr><td>name</td><td>phone</td></tr><tr><td>Ana</td><td>555</td></tr></table>",
        "name\tphone\nAna\t555",
    ),
    ("<ul><li>first</li><li>second</li></ul>", "first\nsecond"),
    ("<p>words   spread\n  over\tlines</p>", "words spread over lines"),
    ("<p>unclosed <b>bold", "unclosed bold"),
    ("<!-- comment --><p>after</p>", "after"),
    ("<html><head><title>T</title></head><body><h1>Head</h1>body</body></html>", "T\nHead\nbody"),
    ("<p>Yes.</p><div>On Mon, A wrote:</div><blockquote><p>Is 5 ok?</p><blockquote>x<br>y"
     "</blockquote>z</blockquote><p>Bye</p>", "Yes.\nOn Mon, A wrote:\n> Is 5 ok?\n> > x\n> > y\n"
     "> z\nBye"),
]


@pytest.mark.parametrize(("markup", "expected"), HTML_CASES)
def test_html_to_text(markup: str, expected: str) -> None:
    assert html_to_text(markup) == expected


def test_large_html_takes_the_linear_path() -> None:
    page = ("<p>Ana &amp; Ben</p><script>var x = '<p>hidden</p>';</script><td>5 < 6</td>"
            "<blockquote><p>quoted</p></blockquote>")
    markup = page * (LARGE_HTML // len(page) + 1)
    text = html_to_text(markup)
    assert "hidden" not in text
    assert text.splitlines()[:3] == ["Ana & Ben", "5 < 6", "> quoted"]
    assert text.count("Ana & Ben") == markup.count("<p>Ana")


DOCUMENT_CASES = [
    (
        "pdf",
        documents.pdf([["Ana Silva", "+1 202 555 0101"], ["page two"]]),
        "s.pdf",
        "application/pdf",
        ["Ana Silva", "+1 202 555 0101", "page two"],
    ),
    (
        "docx",
        documents.docx(["Dear Ana", "12 Elm Street"]),
        "l.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ["Dear Ana\n12 Elm Street"],
    ),
    (
        "xlsx",
        documents.xlsx([["name", "phone"], ["Ana Silva", 2025550101]]),
        "t.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ["name\tphone\nAna Silva\t2025550101"],
    ),
    (
        "pptx",
        documents.pptx(["Slide one", "Slide two"]),
        "d.pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ["Slide one", "Slide two"],
    ),
    (
        "odt",
        documents.odt(["Dear Ben", "3 Mill Lane"]),
        "l.odt",
        "application/vnd.oasis.opendocument.text",
        ["Dear Ben\n3 Mill Lane"],
    ),
    (
        "ods",
        documents.ods([["Ben", "555 0199"]]),
        "t.ods",
        "application/vnd.oasis.opendocument.spreadsheet",
        ["Ben", "555 0199"],
    ),
    (
        "docx-as-octet",
        documents.docx(["hidden type"]),
        "x.docx",
        "application/octet-stream",
        ["hidden type"],
    ),
    ("csv", b"name,phone\nAna,555\n", "c.csv", "text/csv", ["name,phone\nAna,555"]),
    ("json", b'{"email": "ana@mail.test"}', "d.json", "application/json", ['"ana@mail.test"']),
    (
        "xml",
        b"<r><name>Ana</name><phone type='m'>555</phone></r>",
        "d.xml",
        "application/xml",
        ["Ana", "m 555"],
    ),
    (
        "txt-octet",
        "plain caf\u00e9 text".encode(),
        "notes.txt",
        "application/octet-stream",
        ["plain caf\u00e9 text"],
    ),
    (
        "eml",
        mail("inner body", From="ben@y.test").as_bytes(),
        "fwd.eml",
        "application/octet-stream",
        [],
    ),
]


@pytest.mark.parametrize(
    ("name", "data", "filename", "ctype", "snippets"),
    DOCUMENT_CASES,
    ids=[c[0] for c in DOCUMENT_CASES],
)
def test_document_text(
    name: str, data: bytes, filename: str, ctype: str, snippets: list[str]
) -> None:
    message = attach(data, filename, ctype)
    attachment = part(message, f"2/attachment:{filename}")
    for snippet in snippets:
        assert snippet in attachment.text
    assert message.notes == []


def test_eml_attachment_is_read_as_nested_message() -> None:
    message = attach(mail("inner body", From="ben@y.test").as_bytes(), "fwd.eml", "message/rfc822")
    assert part(message, "2/message/1").text.strip() == "inner body"
    octet = attach(
        mail("inner body", From="ben@y.test").as_bytes(), "fwd.eml", "application/octet-stream"
    )
    assert part(octet, "2/attachment:fwd.eml/message/1").text.strip() == "inner body"
    assert "From: ben@y.test" in part(octet, "2/attachment:fwd.eml/message/headers").text


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_damaged_pdf_bytes_never_reach_a_log(capsys: pytest.CaptureFixture[str]) -> None:
    # An own handler on the root logger: pytest's caplog also listens on loggers
    # that do not propagate, so it would see what no application handler sees.
    records, root = _Records(), logging.getLogger()
    level = root.level
    root.addHandler(records)
    root.setLevel(logging.DEBUG)
    try:
        message = attach(b"4111 1111 1111 1111 is no PDF header", "card.pdf", "application/pdf")
    finally:
        root.removeHandler(records)
        root.setLevel(level)
    assert "unreadable_pdf" in note_kinds(message)
    captured = capsys.readouterr()
    assert "4111" not in "".join(records.lines) + captured.out + captured.err


BROKEN_CASES = [
    ("broken pdf", b"%PDF-1.7\n garbage", "b.pdf", "application/pdf", "unreadable_pdf"),
    (
        "encrypted pdf",
        documents.encrypted_pdf(["Account 1234"]),
        "e.pdf",
        "application/pdf",
        "encrypted_pdf",
    ),
    ("broken docx", b"PK\x03\x04 not really", "b.docx", "application/octet-stream", "bad_archive"),
    (
        "bad docx xml",
        documents.zip_bytes({"word/document.xml": b"<w:document"}),
        "x.docx",
        "application/octet-stream",
        "bad_office_xml",
    ),
    ("bad xml", b"<r><unclosed></r>", "d.xml", "application/xml", "bad_xml"),
    (
        "encrypted member",
        documents.zip_bytes({"s.txt": b"x"}, encrypted=["s.txt"]),
        "z.zip",
        "application/zip",
        "encrypted_member",
    ),
    ("not a zip", b"PK\x03\x04" + bytes(100), "z.zip", "application/zip", "bad_archive"),
    (
        "old office",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
        "o.doc",
        "application/msword",
        "unsupported_type",
    ),
    (
        "broken OLE file named .msg",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
        "o.msg",
        "application/vnd.ms-outlook",
        "unsupported_type",
    ),
    (
        "Outlook item extract-msg cannot open",
        renamed_stream(WORD97.read_bytes(), "WordDocument", "__properties_version1.0"),
        "item.msg",
        "application/vnd.ms-outlook",
        "unreadable_msg",
    ),
    ("binary", bytes(range(256)) * 4, "blob.bin", "application/octet-stream", "unsupported_type"),
    (  # printable characters, but not the file's text: they were read as text, unnoted
        "binhex",
        b"(This file must be converted with BinHex 4.0)\r\n:$f*TEQKPH#jdCA0d,R0TG!\"6594%8dP8)3#3",
        "scan.hqx",
        "application/mac-binhex40",
        "unsupported_type",
    ),
    ("s/mime", b"MIAGCSqGSIb3DQEHA", "smime.p7m", "application/pkcs7-mime", "encrypted_content"),
    (
        "pgp",
        b"-----BEGIN PGP MESSAGE-----",
        "m.asc.pgp",
        "application/octet-stream",
        "encrypted_content",
    ),
]


@pytest.mark.parametrize(
    ("name", "data", "filename", "ctype", "kind"), BROKEN_CASES, ids=[c[0] for c in BROKEN_CASES]
)
def test_unreadable_documents_are_noted(
    name: str, data: bytes, filename: str, ctype: str, kind: str
) -> None:
    message = attach(data, filename, ctype)
    assert kind in note_kinds(message)
    assert any(note.part.startswith(f"2/attachment:{filename}") for note in message.notes)


def test_html_body_and_pdf_attachment() -> None:
    """The lead's acceptance case: an HTML body and a PDF statement, both with text."""
    parsed = parse(statement_mail())
    assert [(p.path, p.content_type) for p in parsed.parts] == [
        ("1", "text/html"),
        ("2/attachment:statement.pdf", "application/pdf"),
    ]
    assert parsed.parts[0].text == "Dear Ana,\nyour statement is attached."
    assert parsed.parts[1].text.splitlines() == list(STATEMENT_LINES)
    assert parsed.parts[1].is_attachment
    assert (parsed.from_, parsed.to) == (["care@example.com"], ["ben.okafor@mail.test"])
    assert parsed.notes == []


def test_images_go_to_the_image_reader_only_when_enabled() -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(64)
    message = mail("photo", From="a@x.test")
    message.add_attachment(png, maintype="image", subtype="png", filename="id.png")
    raw = message.as_bytes()
    skipped = parse_message(raw, ParseLimits())
    assert [(n.kind, n.part) for n in skipped.notes] == [("image_skipped", "2/attachment:id.png")]
    off = parse_message(raw, ParseLimits(), images=ImageSettings(enabled=False))
    assert note_kinds(off) == {"image_skipped"}
    read = parse_message(raw, ParseLimits(), images=ImageSettings(ocr=False))
    assert "image_skipped" not in note_kinds(read)
    assert part(read, "2/attachment:id.png").data == png


SSN_LINE = "owner Terry Walker, SSN 219-44-7713"


@pytest.mark.parametrize(("data", "filename", "ctype"), [
    (f"BMW 320d, {SSN_LINE}".encode(), "notes.txt", "text/plain"),  # "BM": no bitmap
    (f"BMW 320d, {SSN_LINE}".encode(), "notes.txt", "application/octet-stream"),
    (f"RIFF,owner\nx,{SSN_LINE}".encode(), "r.csv", "text/csv"),  # "RIFF": no WebP
    (f"GIF8 batch: {SSN_LINE}".encode(), "g.txt", "text/plain"),
    (f"scan of the form: {SSN_LINE}".encode(), "form.png", "image/png"),  # text named an image
])
def test_text_is_read_as_text_whatever_its_first_bytes_or_name(
        data: bytes, filename: str, ctype: str) -> None:
    """Only an image's whole signature makes a part an image: text opening with "BM" (a
    bitmap's two letters) or "RIFF", or text named ``.png``, is read, not handed to the image
    reader, which would note it unreadable and let it pass unread."""
    message = attach(data, filename, ctype)
    assert part(message, f"2/attachment:{filename}").text == data.decode()
    assert "image_unreadable" not in note_kinds(message)


def test_a_body_opening_with_bm_is_read() -> None:
    message = parse_message(f"To: a@x.test\r\n\r\nBMW service: {SSN_LINE}\r\n".encode(),
                            ParseLimits(), images=ImageSettings(ocr=False))
    assert part(message, "1").text.strip() == f"BMW service: {SSN_LINE}"


@pytest.mark.parametrize("head", [b"BM\x36\x00\x0c\x00\x00\x00\x00\x00\x36\x00",
                                  b"RIFF\x24\x00\x00\x00WEBPVP8 ", b"GIF89a\x01\x00",
                                  b"\xff\xd8\xff\xe0\x00\x10JFIF"])
def test_an_image_is_known_by_its_signature_whatever_its_name(head: bytes) -> None:
    message = attach(head + bytes(64), "file.dat", "application/octet-stream")
    assert note_kinds(message) == {"image_skipped"}


def test_outlook_message_parties_body_and_attachments(limits: ParseLimits) -> None:
    message = parse_outlook_msg((OUTLOOK_DATA / "unicode.msg").read_bytes(), limits)
    assert (message.from_, message.to, message.cc) == (
        ["brizhou@gmail.com"],
        ["brianzhou@me.com"],
        ["brizhou@gmail.com"],
    )
    assert message.subject == "Test for TIF files"
    assert [p.path for p in message.parts] == [
        "1",
        "1/rtf",  # the RTF body, Outlook's wrapping of the HTML one: read as HTML
        "1/rtf/html",
        "2/attachment:import OleFileIO.tif",
        "3/attachment:raised value error.tif",
    ]
    assert "MS Outlook MSG Extractor" in message.parts[0].text


def test_outlook_contact_and_note(limits: ParseLimits) -> None:
    contact = parse_outlook_msg(
        (OUTLOOK_DATA / "contact-plain.msg").read_bytes(), limits
    )
    assert "A completely bogus contact" in contact.parts[0].text
    note = parse_outlook_msg((OUTLOOK_DATA / "note.msg").read_bytes(), limits)
    assert note.subject == "note sample"


def test_outlook_attachment_inside_mime(limits: ParseLimits) -> None:
    data = (OUTLOOK_DATA / "unicode.msg").read_bytes()
    message = attach(data, "fwd.msg", "application/vnd.ms-outlook")
    assert part(message, "2/attachment:fwd.msg/message/1").text.startswith("This is a test email")
    assert "From: Brian Zhou" in part(message, "2/attachment:fwd.msg/message/headers").text


def test_images_inside_pdf_and_docx_reach_the_image_reader() -> None:
    picture = documents.jpeg()
    with_image = documents.pdf([["scan below"]], jpeg=picture)
    docx = documents.zip_bytes(
        {
            "word/document.xml": documents.docx_xml(["see photo"]),
            "word/media/image1.jpeg": picture,
        }
    )
    message = mail("two documents", From="a@x.test")
    message.add_attachment(with_image, maintype="application", subtype="pdf", filename="s.pdf")
    message.add_attachment(docx, maintype="application", subtype="octet-stream", filename="l.docx")
    raw = message.as_bytes()
    read = parse_message(raw, ParseLimits(), images=ImageSettings(ocr=False))
    found = [p.path for p in read.parts]
    assert "scan below" in part(read, "2/attachment:s.pdf").text
    embedded = [p for p in read.parts if p.path.startswith("2/attachment:s.pdf/page1/")]
    assert [p.content_type for p in embedded] == ["image/jpeg"], found
    assert "3/attachment:l.docx/word/media/image1.jpeg" in found
    assert part(read, "3/attachment:l.docx/word/media/image1.jpeg").data == picture
    skipped = parse_message(raw, ParseLimits())
    assert [p.path for p in skipped.parts] == ["1", "2/attachment:s.pdf", "3/attachment:l.docx"]


def test_a_picture_written_into_html_reaches_the_image_reader() -> None:
    """A help desk's pasted screenshot: <img src="data:image/jpeg;base64,...">, or a style
    sheet's background picture."""
    picture = documents.jpeg()
    encoded = base64.b64encode(picture).decode()
    message = mail("see below", From="a@x.test")
    message.add_alternative(f'<p>Your ID:</p><img src="data:image/jpeg;base64,{encoded}">'
                            f'<div style="background:url(\'data:image/jpeg;base64,{encoded}\')">'
                            '</div><img src="data:image/png;base64,%%%">', subtype="html")
    read = parse_message(message.as_bytes(), ParseLimits(), images=ImageSettings(ocr=False))
    pictures = [p for p in read.parts if p.path.startswith("2/")]
    assert [p.path for p in pictures] == ["2/picture1.jpeg", "2/picture2.jpeg"]
    assert all(p.data == picture for p in pictures)
    skipped = parse_message(message.as_bytes(), ParseLimits())
    assert not [p for p in skipped.parts if p.path.startswith("2/")]


def test_multipart_encrypted_is_noted_not_read() -> None:
    raw = (
        b"From: a@x.test\r\nContent-Type: multipart/encrypted; boundary=b;"
        b' protocol="application/pgp-encrypted"\r\n\r\n--b\r\n'
        b"Content-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n--b\r\n"
        b"Content-Type: application/octet-stream\r\n\r\n-----BEGIN PGP MESSAGE-----\r\n--b--\r\n"
    )
    message = parse(raw)
    assert message.parts == []
    assert [(n.kind, n.part) for n in message.notes] == [("encrypted_content", "1")]


def _signed(body: str, *, opaque: bool = False) -> bytes:
    """An S/MIME signed message, as a mail client with a certificate sends one: the
    signature detached (multipart/signed) or wrapping the message (smime.p7m)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Care Team"),
                      x509.NameAttribute(NameOID.EMAIL_ADDRESS, "care@example.com")])
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(datetime(2026, 1, 1)).not_valid_after(datetime(2027, 1, 1))
        .add_extension(x509.SubjectAlternativeName([x509.RFC822Name("care@example.com")]),
                       critical=False)
        .sign(key, hashes.SHA256()))
    builder = (pkcs7.PKCS7SignatureBuilder()
               .set_data(f"Content-Type: text/plain\r\n\r\n{body}\r\n".encode())
               .add_signer(certificate, key, hashes.SHA256()))
    head = b"From: care@example.com\r\nTo: a@x.test\r\n"
    if not opaque:
        return head + builder.sign(Encoding.SMIME, [pkcs7.PKCS7Options.DetachedSignature])
    wrapped = base64.encodebytes(builder.sign(Encoding.DER, []))
    return (head + b"MIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; "
            b"smime-type=signed-data; name=smime.p7m\r\nContent-Transfer-Encoding: base64\r\n"
            b"Content-Disposition: attachment; filename=smime.p7m\r\n\r\n" + wrapped)


def test_an_smime_signature_is_read_as_its_certificates_names() -> None:
    """A signed reply is read, not held as unreadable: its text part as any, its signature
    as the names the certificates show."""
    message = parse_message(_signed("Your order has shipped."), ParseLimits())
    assert message.notes == []
    assert part(message, "1").text.strip() == "Your order has shipped."
    assert part(message, "2/attachment:smime.p7s").text.splitlines() == [
        "Care Team", "care@example.com"] * 2 + ["care@example.com"]


def test_an_opaque_signed_message_is_read() -> None:
    """Opaque signing wraps the message in the signature (application/pkcs7-mime,
    smime-type=signed-data): it was held as encrypted, now the message inside is read."""
    message = parse_message(_signed(f"Refund for {SSN_LINE}", opaque=True), ParseLimits())
    assert message.notes == []
    assert part(message, "1/attachment:smime.p7m/message/1").text.strip() == (
        f"Refund for {SSN_LINE}")
    assert "care@example.com" in part(message, "1/attachment:smime.p7m").text.splitlines()


def test_encrypted_or_damaged_smime_is_noted() -> None:
    raw = _signed("Hello.", opaque=True)
    entity = email.message_from_bytes(raw, policy=email.policy.default)
    data = entity.get_content()
    for damaged in (data[:len(data) // 2], data.replace(b"\x06\x09\x2a\x86\x48\x86\xf7"
                                                        b"\x0d\x01\x07\x02",
                                                        b"\x06\x09\x2a\x86\x48\x86\xf7"
                                                        b"\x0d\x01\x07\x03", 1)):
        entity.set_content(damaged, maintype="application", subtype="pkcs7-mime",
                           filename="smime.p7m")
        message = parse_message(entity.as_bytes(), ParseLimits())
        assert [note.kind for note in message.notes] == ["encrypted_content"]
        assert "Hello" not in "".join(p.text for p in message.parts)


@pytest.mark.parametrize(("extra", "reason"), [
    (b"", "not a PKCS #7 signature"),
    (bytes(5000), "bytes besides its certificates"),
])
def test_a_signature_that_is_not_one_is_noted(extra: bytes, reason: str) -> None:
    raw = _signed("Hello.")
    entity = email.message_from_bytes(raw, policy=email.policy.default)
    signature = next(p for p in entity.walk() if p.get_content_type().endswith("signature"))
    data = signature.get_content() + extra if extra else f"SSN {SSN_LINE}".encode()
    signature.set_content(data, maintype="application", subtype="pkcs7-signature",
                          filename="smime.p7s")
    message = parse_message(entity.as_bytes(), ParseLimits())
    [note] = message.notes
    assert (note.kind, note.part) == ("unreadable_signature", "2/attachment:smime.p7s")
    assert reason in note.reason


def test_a_pdf_page_whose_contents_do_not_decode_is_noted() -> None:
    """pypdf reads a damaged compressed content stream as empty without an error: the page's
    text is lost (a viewer may still show part of it), so it is noted. A blank page's
    compressed empty stream is no damage."""
    pdf = documents.pdf([[f"page one {SSN_LINE}"], ["page two"]])
    stream = re.search(rb"<< /Length (\d+) >>", pdf)
    assert stream is not None  # page one's contents, plain
    damaged = pdf.replace(stream.group(), stream.group()[:-2] + b"/Filter /FlateDecode >>", 1)
    message = attach(damaged, "s.pdf", "application/pdf")
    assert [(n.kind, n.reason) for n in message.notes] == [
        ("unreadable_pdf_page", "1 of 2 pages could not be read")]
    assert SSN_LINE not in part(message, "2/attachment:s.pdf").text
    start = stream.start()
    end = pdf.index(b"endstream", start)
    empty = zlib.compress(b"")
    blank = (pdf[:start] + b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(empty)
             + empty + b"\n" + pdf[end:])
    assert note_kinds(attach(blank, "s.pdf", "application/pdf")) == set()
