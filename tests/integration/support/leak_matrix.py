"""The issue-21 leak matrix: one customer's identifier in one place of a message at a time.

No tests here: test modules import the cells. A cell is (place, kind); ``build``
returns the raw message carrying ``owner``'s value of ``kind`` in ``place`` only,
addressed to ``recipient``.
"""

from __future__ import annotations

import base64
import re
import zipfile
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import encode_rfc2231
from io import BytesIO
from urllib.parse import quote_plus
from xml.sax.saxutils import escape

from tests.corpus.embedded import ole1_object, package_native, package_object, rtf_with_object
from tests.corpus.legacy_office import word97, xls

from crossguard.synth import containers, documents
from crossguard.synth.customers import Customer

KINDS = ("card", "ssn", "phone", "name_address")
SENDER = "care@example.com"


def value(owner: Customer, kind: str) -> str:
    """The owner's identifier of ``kind`` as a person would type it."""
    if kind == "card":
        return owner.card
    if kind == "ssn":
        return owner.national_id
    if kind == "phone":
        return owner.phone
    return f"{owner.name}, {owner.street}, {owner.city} {owner.state} {owner.postcode}"


def _base(recipient: str, body: str = "Hello, your order has shipped.") -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"Care <{SENDER}>"
    message["To"] = recipient
    message["Subject"] = "Your order"
    message["Message-ID"] = "<order.update@example.com>"
    message.set_content(body)
    return message


def _header(name: str) -> Callable[[str, str], bytes]:
    def build(text: str, recipient: str) -> bytes:
        message = _base(recipient)
        if name in message:
            del message[name]
        message[name] = text
        return message.as_bytes()
    return build


def _folded(text: str, recipient: str) -> bytes:
    raw = _base(recipient).as_bytes()
    return raw.replace(b"Subject: Your order", b"Subject: Your order\r\nX-Note: see\r\n "
                       + text.encode(), 1)


def _encoded_subject(text: str, recipient: str) -> bytes:
    raw = _base(recipient).as_bytes()
    word = base64.b64encode(text.encode()).decode()
    return raw.replace(b"Subject: Your order", f"Subject: =?utf-8?b?{word}?=".encode(), 1)


def _display_name(text: str, recipient: str) -> bytes:
    message = _base(recipient)
    del message["From"]
    message["From"] = f'"{text.replace(",", "")}" <{SENDER}>'
    return message.as_bytes()


def _id_header(name: str) -> Callable[[str, str], bytes]:
    def build(text: str, recipient: str) -> bytes:
        local = re.sub(r"[^0-9A-Za-z+]+", "-", text).strip("-")
        raw = _base(recipient).as_bytes()
        line = f"{name}: <{local}@mail.example.com>".encode()
        if name == "Message-ID":
            return raw.replace(b"Message-ID: <order.update@example.com>", line, 1)
        return raw.replace(b"Subject: Your order", b"Subject: Your order\r\n" + line, 1)
    return build


def _attachment(make: Callable[[str], tuple[bytes, str, str]]) -> Callable[[str, str], bytes]:
    def build(text: str, recipient: str) -> bytes:
        data, filename, ctype = make(text)
        message = _base(recipient, "Please find the file attached.")
        maintype, subtype = ctype.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
        return message.as_bytes()
    return build


def _rfc2231_name(text: str, recipient: str) -> bytes:
    message = _base(recipient, "Please find the file attached.")
    message.add_attachment(b"scan", maintype="application", subtype="octet-stream",
                           filename="scan.bin")
    raw = message.as_bytes()
    encoded = encode_rfc2231(f"{text}.bin", "utf-8")
    half = len(encoded) // 2
    while "%" in encoded[half - 2 : half]:  # each segment decodes on its own: no split escape
        half += 1
    split = f'filename*0*={encoded[:half]};\r\n filename*1*={encoded[half:]}'
    return raw.replace(b'filename="scan.bin"', split.encode(), 1)


def _html(markup: Callable[[str], str]) -> Callable[[str, str], bytes]:
    def build(text: str, recipient: str) -> bytes:
        message = _base(recipient, "Hello, see the note.")
        message.add_alternative(f"<p>Hello, see the note. {markup(text)}</p>", subtype="html")
        return message.as_bytes()
    return build


def _tel(text: str) -> str:
    return f'<a href="tel:{text}">call us</a>'


def _zip_with_comment(text: str) -> bytes:
    archive = BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("scan.txt", b"scan")
        zipped.comment = text.encode()
    return archive.getvalue()


def _sheet_with_footer(text: str) -> bytes:
    sheet = (f"<worksheet xmlns='{documents.S_NS}'><sheetData/><headerFooter><oddFooter>"
             f"&amp;L{escape(text)}&amp;R&amp;P</oddFooter></headerFooter></worksheet>")
    return documents.zip_bytes({"[Content_Types].xml": b"<Types/>",
                                "xl/workbook.xml": b"<workbook/>",
                                "xl/worksheets/sheet1.xml": sheet.encode()})


def _letter_with_alt_text(text: str) -> bytes:
    alt = escape(text, {"'": "&apos;"})
    body = (f"<w:document xmlns:w='{documents.W_NS}' xmlns:wp='urn:wp'><w:body><w:p><w:r>"
            f"<w:drawing><wp:inline><wp:docPr id='1' name='Picture 1' descr='{alt}'/>"
            "</wp:inline></w:drawing></w:r></w:p></w:body></w:document>")
    return documents.zip_bytes({"[Content_Types].xml": b"<Types/>",
                                "word/document.xml": body.encode()})


def _letter_with_package(text: str) -> bytes:
    """A letter with a text file dragged into it (an OLE package)."""
    packaged = package_object("notes.txt", text.encode(), r"C:\Users\care\notes.txt")
    return documents.zip_bytes({"[Content_Types].xml": b"<Types/>",
                                "word/document.xml": documents.docx_xml(["See the notes."]),
                                "word/embeddings/oleObject1.bin": packaged})


def _rtf_with_package(text: str) -> bytes:
    native = package_native("notes.txt", text.encode(), r"C:\Users\care\notes.txt")
    return rtf_with_object("See the notes.", ole1_object("Package", native))


def _eml(text: str) -> bytes:
    inner = EmailMessage()
    inner["From"] = "someone@example.net"
    inner["Subject"] = "fwd"
    inner.set_content(text)
    return inner.as_bytes()


PLACES: dict[str, Callable[[str, str], bytes]] = {
    "subject": _header("Subject"),
    "subject_rfc2047": _encoded_subject,
    "x_header": _header("X-Customer-Note"),
    "folded_header": _folded,
    "comments": _header("Comments"),
    "keywords": _header("Keywords"),
    "display_name": _display_name,
    "message_id": _id_header("Message-ID"),
    "references": _id_header("References"),
    "filename": _attachment(lambda t: (b"scan", f"{t}.txt", "text/plain")),
    "filename_rfc2231": _rfc2231_name,
    "zip_member_name": _attachment(
        lambda t: (documents.zip_bytes({f"{t}.txt": b"scan"}), "files.zip", "application/zip")),
    "tar_gz": _attachment(lambda t: (containers.tar_bytes({"a.txt": t.encode()}, "w:gz"),
                                     "files.tar.gz", "application/gzip")),
    "tar_bz2": _attachment(lambda t: (containers.tar_bytes({"a.txt": t.encode()}, "w:bz2"),
                                      "files.tar.bz2", "application/x-bzip2")),
    "tar": _attachment(lambda t: (containers.tar_bytes({"a.txt": t.encode()}), "files.tar",
                                  "application/x-tar")),
    "gz": _attachment(lambda t: (containers.COMPRESS["gz"](t.encode()), "note.txt.gz",
                                 "application/gzip")),
    "7z": _attachment(lambda t: (containers.seven_zip({"a.txt": t.encode()}), "files.7z",
                                 "application/x-7z-compressed")),
    "tnef": _attachment(lambda t: (containers.tnef(t, {}), "winmail.dat",
                                   "application/ms-tnef")),
    "tnef_rtf_body": _attachment(lambda t: (containers.tnef("", {}, rtf=containers.rtf(t)),
                                            "winmail.dat", "application/ms-tnef")),
    "smime_opaque": _attachment(lambda t: (containers.smime_signed(t), "smime.p7m",
                                           "application/pkcs7-mime")),
    "rtf": _attachment(lambda t: (containers.rtf(t), "letter.rtf", "application/rtf")),
    "doc": _attachment(lambda t: (word97(t), "letter.doc", "application/msword")),
    "xls": _attachment(lambda t: (xls("Refunds", [["customer", t]]), "refunds.xls",
                                  "application/vnd.ms-excel")),
    "utf16": _attachment(lambda t: (t.encode("utf-16"), "note.txt", "application/octet-stream")),
    "utf16_no_bom": _attachment(lambda t: (t.encode("utf-16-le"), "note.dat",
                                           "application/octet-stream")),
    "utf32": _attachment(lambda t: (t.encode("utf-32"), "note.txt", "application/octet-stream")),
    "vcard": _attachment(lambda t: (f"BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:{t}\r\nEND:VCARD\r\n"
                                    .encode(), "contact.vcf", "text/vcard")),
    "icalendar": _attachment(lambda t: (containers.icalendar("Visit", t), "visit.ics",
                                        "text/calendar")),
    "eml_in_tar": _attachment(lambda t: (containers.tar_bytes({"fwd.eml": _eml(t)}), "mail.tar",
                                         "application/x-tar")),
    "pdf_info": _attachment(lambda t: (containers.pdf_with_info(t, "Care"), "statement.pdf",
                                       "application/pdf")),
    "pdf_xfa": _attachment(lambda t: (containers.pdf_with_xfa({"Customer": t}), "form.pdf",
                                      "application/pdf")),
    "pdf_xmp": _attachment(lambda t: (containers.pdf_with_xmp(t), "statement.pdf",
                                      "application/pdf")),
    "docx_properties": _attachment(lambda t: (
        containers.docx_with_properties(t, "Care"), "letter.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")),
    "image_exif": _attachment(lambda t: (containers.jpeg_with_exif(t), "photo.jpg",
                                         "image/jpeg")),
    "html_alt": _html(lambda t: f'<img alt="{t}" src="cid:x">'),
    "html_title": _html(lambda t: f'<span title="{t}">note</span>'),
    "html_tel": _html(_tel),
    "zip_comment": _attachment(lambda t: (_zip_with_comment(t), "scans.zip", "application/zip")),
    "xlsx_footer": _attachment(lambda t: (_sheet_with_footer(t), "orders.xlsx",
                                          "application/octet-stream")),
    "docx_custom_xml": _attachment(lambda t: (documents.zip_bytes({
        "[Content_Types].xml": b"<Types/>", "word/document.xml": documents.docx_xml(["Hello"]),
        "customXml/item1.xml": f"<record><customer>{escape(t)}</customer></record>".encode()}),
        "letter.docx", "application/octet-stream")),
    "xlsx_pivot_cache": _attachment(lambda t: (documents.xlsx_with_pivot_cache(
        [["Region", "Orders"], ["North", 1]], [["Customer", "Region"], [t, "North"]]),
        "summary.xlsx", "application/octet-stream")),
    "docx_alt_text": _attachment(lambda t: (_letter_with_alt_text(t), "letter.docx",
                                            "application/octet-stream")),
    "docx_ole_package": _attachment(lambda t: (_letter_with_package(t), "letter.docx",
                                               "application/octet-stream")),
    "rtf_object": _attachment(lambda t: (_rtf_with_package(t), "letter.rtf",
                                         "application/rtf")),
    "uuencoded": lambda t, recipient: _base(
        recipient, "Tonight's export:\n\n" + containers.uuencoded("export.txt", t.encode())
    ).as_bytes(),
    "html_style_url": _html(
        lambda t: f'<p style="background:url(/bg.gif?note={quote_plus(t)})">Hello</p>'),
    "html_data_address": _html(lambda t: '<a href="data:text/plain;base64,'
                               f'{base64.b64encode(t.encode()).decode()}">notes</a>'),
    "html_object_data": _html(
        lambda t: f'<object data="https://t.example.test/o?note={quote_plus(t)}"></object>'),
    "html_tracking_picture": _html(
        lambda t: f'<img src="https://t.example.test/open.gif?note={quote_plus(t)}">'),
}

#: Places that cannot hold a kind as people write it (ids hold no spaces; tel: only phones).
NOT_APPLICABLE = {
    ("message_id", "name_address"), ("references", "name_address"),
    ("html_tel", "card"), ("html_tel", "ssn"), ("html_tel", "name_address"),
    ("doc", "name_address"),  # the Word 97 sample holds 47 characters of text
}

CELLS = [(place, kind) for place in PLACES for kind in KINDS
         if (place, kind) not in NOT_APPLICABLE]


def build(place: str, kind: str, owner: Customer, recipient: str) -> bytes:
    """The message with ``owner``'s ``kind`` in ``place``, to ``recipient``."""
    return PLACES[place](value(owner, kind), recipient)


def mailto(owner: Customer, recipient: str) -> bytes:
    """The issue's mailto:-only message: the owner's address only in an HTML link."""
    return _html(lambda t: f'<a href="mailto:{t}">write to us</a>')(owner.email, recipient)
