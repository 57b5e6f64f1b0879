"""Every place text rides outside a body part is a field with its own provenance (issue 21)."""

from __future__ import annotations

import base64
import io
import zipfile

import pytest
from message_builders import attach, mail, note_kinds, parse
from pypdf import PdfWriter
from pypdf.annotations import Text
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from crossguard.message import Message, ParseLimits
from crossguard.message.extract.office import pivot_cache_text
from crossguard.synth import containers, documents

CARD = "5425233430109903"
SSN = "219-44-7713"
SECRET = f"Terry Walker card {CARD} ssn {SSN}"


def field(message: Message, path: str) -> str:
    found = [part.text for part in message.fields if part.path == path]
    assert found, f"no field {path!r} in {[part.path for part in message.fields]}"
    return found[0]


def texts(message: Message) -> str:
    return "\n".join(part.text for part in [*message.parts, *message.fields])


@pytest.mark.parametrize(("raw", "path"), [
    (b"Subject: " + SECRET.encode() + b"\r\n\r\nbody\r\n", "header:Subject"),
    (b"X-Note: " + SECRET.encode() + b"\r\n\r\nbody\r\n", "header:X-Note"),
    (b"X-Note: ref\r\n " + SECRET.encode() + b"\r\n\r\nbody\r\n", "header:X-Note"),
    (b"Comments: =?utf-8?q?" + SECRET.replace(" ", "_").encode() + b"?=\r\n\r\nb\r\n",
     "header:Comments"),
    (b"Keywords: =?utf-8?b?VGVycnkgV2Fsa2VyIGNhcmQgNTQyNTIzMzQzMDEwOTkwMyBzc24gMjE5LTQ0LTc3MTM=?="
     b"\r\n\r\nb\r\n", "header:Keywords"),
])
def test_unstructured_headers_are_fields(raw: bytes, path: str) -> None:
    assert SECRET in field(parse(raw), path)


def test_odd_header_name_is_scanned_not_shown() -> None:
    message = parse(f"X-{CARD}: hi\r\n\r\nbody\r\n".encode())
    [part] = [part for part in message.fields if CARD in part.text]
    assert part.path == "header:#1"


def test_repeated_header_gets_numbered_paths() -> None:
    message = parse(b"X-A: one\r\nX-A: two\r\n\r\nbody\r\n")
    assert (field(message, "header:X-A"), field(message, "header:X-A.2")) == ("one", "two")


def test_display_names_and_message_id_local_parts() -> None:
    raw = (
        f'From: "Terry Walker {SSN}" <care@example.com>\r\n'
        f"To: =?utf-8?q?Ann_{CARD}?= <a@x.test>\r\n"
        f"Message-ID: <{CARD}.1@mail.example.com>\r\nReferences: <a@b> <{SSN}@c.test>\r\n\r\nb\r\n"
    ).encode()
    message = parse(raw)
    assert field(message, "header:From") == f"Terry Walker {SSN}"
    assert field(message, "header:To") == f"Ann {CARD}"
    assert field(message, "header:Message-ID").split() == [f"<{CARD}.1", ">"]
    assert "@" not in field(message, "header:References") and SSN in field(
        message, "header:References")


def test_bare_addresses_and_routine_values_make_no_field() -> None:
    message = mail("body", From="care@example.com", To="a@x.test", Date="Sat, 28 Nov 2026 "
                   "03:00:00 +0000")
    message.add_attachment(b"x", maintype="application", subtype="octet-stream", filename="a.bin")
    parsed = parse(message)
    assert [part.path for part in parsed.fields if part.path.startswith("header:")] == []


def test_boundary_is_blanked_and_other_parameters_read() -> None:
    boundary = "=====4879150131483029=="
    raw = (f'Content-Type: multipart/mixed; boundary="{boundary}"; x-ref="{CARD}"\r\n\r\n'
           f"--{boundary}\r\n\r\nhi\r\n--{boundary}--\r\n").encode()
    content_type = field(parse(raw), "header:Content-Type")
    assert CARD in content_type and "4879150131483029" not in content_type


def test_file_names_are_fields_and_paths_show_them_masked() -> None:
    message = mail("see attached", From="a@x.test")
    message.add_attachment(b"plain", maintype="text", subtype="plain",
                           filename=f"SSN {SSN} card {CARD}.txt")
    parsed = parse(message)
    attachment = parsed.parts[1]
    assert CARD not in attachment.path and SSN not in attachment.path
    assert attachment.path.startswith("2/attachment:SSN ")
    assert field(parsed, f"{attachment.path}/filename") == f"SSN {SSN} card {CARD}.txt"


def test_rfc2231_continuations_and_content_type_name() -> None:
    raw = (
        "From: a@x.test\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
        "--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b\r\n"
        f"Content-Type: application/octet-stream; name=\"card {CARD}.bin\"\r\n"
        "Content-Disposition: attachment;\r\n filename*0*=utf-8''Terry%20Walker%20;\r\n"
        f" filename*1*={SSN}.bin\r\n\r\nAAAA\r\n--b--\r\n"
    ).encode()
    text = texts(parse(raw))
    assert f"Terry Walker {SSN}.bin" in text and f"card {CARD}.bin" in text


@pytest.mark.parametrize("mode", ["w", "w:gz", "w:bz2", "w:xz"])
def test_tar_members_and_names(mode: str) -> None:
    data = containers.tar_bytes({f"scans/{SSN}.txt": SECRET.encode()}, mode)
    message = attach(data, "a.tar" + mode[2:].replace("bz2", ".bz2").replace("gz", ".gz")
                      .replace("xz", ".xz").lstrip(":"), "application/octet-stream")
    assert not note_kinds(message)
    assert SECRET in texts(message) and f"scans/{SSN}.txt" in texts(message)
    assert not any(SSN in part.path for part in [*message.parts, *message.fields])


@pytest.mark.parametrize("suffix", ["gz", "bz2", "xz"])
def test_single_compressed_file(suffix: str) -> None:
    message = attach(containers.COMPRESS[suffix](SECRET.encode()), f"note.txt.{suffix}",
                      "application/octet-stream")
    inner = message.parts[-1]
    assert inner.text == SECRET and inner.path.endswith(f"note.txt.{suffix}/note.txt")


def test_seven_zip_and_an_encrypted_one() -> None:
    message = attach(containers.seven_zip({"a/b.txt": SECRET.encode()}), "x.7z",
                      "application/x-7z-compressed")
    assert SECRET in texts(message) and not note_kinds(message)
    locked = attach(containers.seven_zip({"b.txt": SECRET.encode()}, "pw"), "x.7z",
                     "application/x-7z-compressed")
    assert "encrypted_content" in note_kinds(locked) and SECRET not in texts(locked)


def test_tnef_body_and_attachments() -> None:
    data = containers.tnef("Call Terry", {f"{SSN}.txt": SECRET.encode()})
    message = attach(data, "winmail.dat", "application/ms-tnef")
    assert "Call Terry" in texts(message) and SECRET in texts(message)
    assert f"{SSN}.txt" in texts(message)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32",
                                      "utf-32-le", "utf-32-be"])
def test_wide_text(encoding: str) -> None:
    message = attach(SECRET.encode(encoding), "note.dat", "application/octet-stream")
    assert message.parts[1].text == SECRET


def test_vcard_and_icalendar() -> None:
    card = attach(containers.vcard("Terry Walker", "(312) 450-3657", "1 Main Street Springfield"),
                   "t.vcf", "text/vcard")
    text = card.parts[1].text
    assert "n Terry Walker" in text and "tel (312) 450-3657" in text
    assert "1 Main Street Springfield" in text
    event = attach(containers.icalendar("Visit", f"card {CARD}, ssn\n{SSN}"), "e.ics",
                    "text/calendar")
    assert f"card {CARD}, ssn\n{SSN}" in event.parts[1].text


def test_eml_inside_a_tar() -> None:
    inner = mail(SECRET, From="a@x.test", Subject="inner").as_bytes()
    message = attach(containers.tar_bytes({"fwd.eml": inner}), "a.tar", "application/x-tar")
    assert SECRET in texts(message)


def test_html_links_alt_and_title() -> None:
    message = mail("plain", From="a@x.test")
    message.add_alternative(
        '<p><a href="mailto:terry.walker196%40yahoo.com">write</a> <a href="tel:+13124503657">x</a>'
        f' <img alt="card {CARD}" src="x.png"> <span title="ssn {SSN}">y</span>'
        ' <a href="https://example.com/page">web</a></p>', subtype="html")
    links = field(parse(message), "2/links")
    assert links.splitlines() == ["terry.walker196@yahoo.com", "+13124503657", f"card {CARD}",
                                  "x.png", f"ssn {SSN}", "page"]


def test_html_addresses_carry_their_query() -> None:
    """A tracking picture's, a link's or a form's address carries values to whoever follows
    it: its path and query are read percent-decoded (twice when a tracker wraps a link),
    without the host; an inline picture's cid: or data: address is not."""
    message = mail("plain", From="a@x.test")
    message.add_alternative(
        '<img src="https://t.example.test/open.gif?e=terry.walker196%2540yahoo.com&amp;n=1">'
        '<a href="https://r.example.test/c?u=https%3A%2F%2Fshop.test%2Fverify%3Fssn%3D'
        f'{SSN}">verify</a><form action="/update?name=Terry+Walker"></form>'
        '<img src="cid:logo.1234@example.com"><img src="data:image/png;base64,iVBORw0KGgo=">'
        '<a href="http://[bad/?card=' + CARD + '">x</a>', subtype="html")
    links = field(parse(message), "2/links")
    assert links.splitlines() == [
        "open.gif e terry.walker196@yahoo.com n 1", f"c u https: shop.test verify ssn {SSN}",
        "update name Terry Walker", f"http: [bad card {CARD}"]


def test_html_picture_sets_backgrounds_style_sheets_and_data_addresses() -> None:
    """A srcset's candidates, a background or poster, a style sheet's url() (a <style> or a
    style attribute) and a data: address that is no picture are addresses too."""
    encoded = base64.b64encode(f"card {CARD}".encode()).decode()
    message = mail("plain", From="a@x.test")
    message.add_alternative(
        '<img srcset="a.png 1x, https://t.test/b.png?e=terry%40x.test 2x" src="cid:x">'
        '<td background="/bg.gif?ssn=' + SSN + '">x</td><video poster="p.jpg"></video>'
        '<style>.a{background:url("https://t.test/open?n=Terry+Walker")}</style>'
        f'<p style="background-image: url(/px?c={CARD})">y</p>'
        f'<a href="data:text/plain;base64,{encoded}">z</a><a href="data:,ssn%20{SSN}">w</a>'
        '<img src="data:image/png;base64,iVBORw0KGgo=">', subtype="html")
    links = field(parse(message), "2/links")
    assert links.splitlines() == [
        "a.png", "b.png e terry@x.test", f"bg.gif ssn {SSN}", "p.jpg", f"card {CARD}",
        f"ssn {SSN}", "open n Terry Walker", f"px c {CARD}"]


def test_html_objects_quotations_pings_and_svg_links_are_addresses() -> None:
    """An object's data, a quotation's cite, a link's ping, a button's formaction, a
    picture's longdesc and an SVG link's xlink:href are fetched or followed like an href;
    a data-* attribute is not one of them (it is unseen text)."""
    message = mail("plain", From="a@x.test")
    message.add_alternative(
        f'<object data="https://t.test/o?ssn={SSN}"></object><q cite="/c?n=Terry+Walker">q</q>'
        f'<a href="/a" ping="https://t.test/p?card={CARD}">a</a>'
        '<button formaction="/f?e=terry%40x.test">b</button>'
        '<img src="cid:x" longdesc="/l?n=Ana+Silva"><svg><a xlink:href="/s?id=7713">s</a></svg>'
        '<div data-ref="not an address">d</div>', subtype="html")
    links = field(parse(message), "2/links")
    assert links.splitlines() == [
        f"o ssn {SSN}", "c n Terry Walker", "a", f"p card {CARD}", "f e terry@x.test",
        "l n Ana Silva", "s id 7713"]


def test_html_text_it_does_not_show_is_read() -> None:
    """Comments (their markup's text), scripts, data attributes, a hidden input's value and a
    meta tag's content travel to the recipient unseen: the field ``<path>/unseen``; so does
    a style sheet's ``content:`` text. The rest of a style sheet is not read (an Outlook
    font's panose numbers are no one's data)."""
    message = mail("plain", From="a@x.test")
    message.add_alternative(
        f'<html><head><meta name="ref" content="ssn {SSN}"><style>@font-face{{panose-1:2 15 5'
        f' 2 2 2 4 3 2 4;}}p::after{{content: "ref {SSN}"}}</style></head><body><!-- <b>'
        'customer</b> Terry Walker -->hi'
        f'<div data-card="{CARD}">x</div><input type=hidden value=\'{SSN}\'>'
        '<script>var a = "b";</script><!--[if mso]><xml><o:x v="1"/></xml><![endif]--></body>'
        '</html>', subtype="html")
    unseen = field(parse(message), "2/unseen")
    assert unseen.splitlines() == ["customer Terry Walker", 'var a = "b";', "[if mso]><![endif]",
                                   f"ssn {SSN}", CARD, SSN, f"ref {SSN}"]


def test_a_content_id_is_read_as_an_id() -> None:
    """A Content-ID is a message id: its domain is blanked, so it is no address."""
    message = parse(b"Content-ID: <part1.4111@mail.example.com>\r\n\r\nbody\r\n")
    assert field(message, "header:Content-ID").strip() == "<part1.4111" + " " * 17 + ">"


@pytest.mark.parametrize(("data", "name", "ctype"), [
    (containers.pdf_with_info(f"card {CARD}", "Terry Walker"), "s.pdf", "application/pdf"),
    (containers.docx_with_properties(f"card {CARD}", "Terry Walker"), "s.docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
])
def test_document_properties(data: bytes, name: str, ctype: str) -> None:
    message = attach(data, name, ctype)
    properties = field(message, f"{message.parts[1].path}/properties")
    assert f"card {CARD}" in properties and "Terry Walker" in properties


def test_the_source_rows_a_pivot_table_keeps_are_read() -> None:
    """A summary sheet whose pivot cache keeps every customer's row, the source sheet
    deleted: only the summary was read."""
    data = documents.xlsx_with_pivot_cache(
        [["Region", "Orders"], ["North", 2]],
        [["Customer", "Card", "Region"], ["Terry Walker", CARD, "North"],
         ["Ana O'Neil", "4000 0566 5566 5556", "North"]])
    message = attach(data, "summary.xlsx", "application/octet-stream")
    [text] = [p.text for p in message.parts if p.path == "2/attachment:summary.xlsx"]
    assert f"Terry Walker\t{CARD}\tNorth" in text.splitlines()
    assert "Ana O'Neil\t4000 0566 5566 5556\tNorth" in text.splitlines()
    definition = b"""<pivotCacheDefinition><cacheFields><cacheField name="Customer">
        <sharedItems><s v="Terry Walker"/><m/></sharedItems></cacheField><cacheField name="n">
        <sharedItems><n v="4"/></sharedItems></cacheField></cacheFields></pivotCacheDefinition>"""
    assert pivot_cache_text(definition, None) == "Terry Walker\n4"  # saved without records


def test_an_opendocuments_headers_and_footers_are_read() -> None:
    """An ODT keeps its page header and footer in styles.xml (a .docx's are read)."""
    styles = (f"<office:document-styles xmlns:office='{documents.OFFICE_NS}' "
              f"xmlns:text='{documents.TEXT_NS}' xmlns:style='urn:style'><office:master-styles>"
              "<style:master-page><style:header><text:p>Customer Terry Walker</text:p>"
              f"</style:header><style:footer><text:p>card {CARD}</text:p></style:footer>"
              "</style:master-page></office:master-styles></office:document-styles>")
    members = dict(documents.zip_members(documents.odt(["Dear customer"])))
    data = documents.zip_bytes({**members, "styles.xml": styles.encode()})
    [text] = [p.text for p in attach(data, "l.odt", "application/octet-stream").parts
              if p.path == "2/attachment:l.odt"]
    assert [line for line in text.splitlines() if line] == [
        "Dear customer", "Customer Terry Walker", f"card {CARD}"]


def test_document_variables_and_linked_workbook_values_are_read() -> None:
    """A template's variables (w:docVar) and a workbook's cache of the workbook it looks
    values up in: data no page shows."""
    settings = (f"<w:settings xmlns:w='{_W}'><w:docVars><w:docVar w:name='Customer' "
                f"w:val='Terry Walker'/><w:docVar w:name='Card' w:val='{CARD}'/></w:docVars>"
                "</w:settings>")
    letter = documents.zip_bytes({"[Content_Types].xml": b"<Types/>",
                                  "word/document.xml": documents.docx_xml(["Dear customer"]),
                                  "word/settings.xml": settings.encode()})
    message = attach(letter, "l.docx", "application/octet-stream")
    assert field(message, "2/attachment:l.docx/properties").splitlines() == [
        "Terry Walker", CARD]
    link = ("<externalLink><externalBook><sheetDataSet><sheetData sheetId='0'><row r='2'>"
            f"<cell r='A2' t='str'><v>Terry Walker</v></cell><cell r='B2' t='str'><v>{CARD}</v>"
            "</cell></row></sheetData></sheetDataSet></externalBook></externalLink>")
    members = dict(documents.zip_members(documents.xlsx([["total", 1]])))
    book = documents.zip_bytes({**members, "xl/externalLinks/externalLink1.xml": link.encode()})
    message = attach(book, "b.xlsx", "application/octet-stream")
    assert field(message, "2/attachment:b.xlsx/properties").splitlines() == [
        "Terry Walker", CARD]


def test_an_office_documents_custom_xml_data_is_read() -> None:
    """A template's content controls bound to a CRM record (customXml/item1.xml) keep the
    whole record, shown or not; it was not read."""
    record = (f"<customer><name>Terry Walker</name><card>{CARD}</card></customer>").encode()
    data = documents.zip_bytes({"[Content_Types].xml": b"<Types/>",
                                "word/document.xml": documents.docx_xml(["Dear customer"]),
                                "customXml/item1.xml": record,
                                "customXml/itemProps1.xml": b"<ds:datastoreItem/>"})
    message = attach(data, "l.docx", "application/octet-stream")
    assert field(message, "2/attachment:l.docx/properties").splitlines() == ["Terry Walker", CARD]


def test_image_exif_description_is_read_without_image_reading() -> None:
    message = attach(containers.jpeg_with_exif(f"card {CARD}"), "p.jpg", "image/jpeg")
    assert field(message, f"{message.parts[1].path}/properties") == f"card {CARD}"


def test_archive_limits_apply_to_tar_and_gzip() -> None:
    bomb = containers.COMPRESS["gz"](bytes(8 << 20))
    assert "zip_bomb" in note_kinds(attach(bomb, "z.gz", "application/gzip"))
    many = containers.tar_bytes({f"{n}.txt": b"x" for n in range(5)})
    limits = ParseLimits(max_archive_members=3)
    assert "limit_archive_members" in note_kinds(attach(many, "m.tar", "application/x-tar",
                                                         limits))


def test_unknown_binary_is_a_note() -> None:
    message = attach(bytes(range(256)) * 8, "blob.bin", "application/octet-stream")
    assert "unsupported_type" in note_kinds(message)


def test_zip_member_names_are_masked_in_paths() -> None:
    message = attach(documents.zip_bytes({f"{CARD}.txt": b"hello"}), "a.zip", "application/zip")
    assert not any(CARD in part.path for part in [*message.parts, *message.fields])
    assert f"{CARD}.txt" in texts(message)


def test_nested_message_header_fields_are_read() -> None:
    inner = mail("hello", From="a@x.test", X_Note=SECRET, Subject="fwd").as_bytes()
    message = attach(inner, "fwd.eml", "message/rfc822")
    [headers] = [part for part in message.parts if part.path.endswith("/message/headers")]
    assert f"X-Note: {SECRET}" in headers.text and "From: a@x.test" in headers.text


def test_known_field_paths_are_canonical() -> None:
    message = parse(f"SUBJECT: card {CARD}\r\nMessage-Id: <{CARD}@x.test>\r\n\r\nb\r\n".encode())
    assert CARD in field(message, "header:Subject")
    assert CARD in field(message, "header:Message-ID")


def test_body_part_fields_are_read() -> None:
    """A body part's own header fields (a description, an X- field) are a field of the part;
    its routine Content-Type and transfer encoding make none."""
    raw = ("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
           "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
           f"hi\r\n--b\r\nContent-Type: text/plain\r\nContent-Description: {SECRET}\r\n"
           f"X-Ref: {CARD}\r\n\r\nthere\r\n--b--\r\n").encode()
    message = parse(raw)
    assert field(message, "2/headers") == f"Content-Description: {SECRET}\nX-Ref: {CARD}"
    assert not [part for part in message.fields if part.path == "1/headers"]


def test_text_around_the_parts_is_read() -> None:
    """Preamble and epilogue: clients that read no MIME show them, and they travel along."""
    raw = (f"Content-Type: multipart/mixed; boundary=b\r\n\r\n{SECRET}\r\n--b\r\n\r\nhi\r\n"
           "--b\r\nContent-Type: multipart/alternative; boundary=c\r\n\r\n--c\r\n\r\nyo\r\n"
           f"--c--\r\nssn {SSN}\r\n--b--\r\ncard {CARD}\r\n").encode()
    message = parse(raw)
    assert SECRET in field(message, "preamble")
    assert SSN in field(message, "2/epilogue")
    assert CARD in field(message, "epilogue")


def test_delivery_status_fields_are_read() -> None:
    """A delivery report's per-recipient blocks are fields, not dropped."""
    raw = ("Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.com\r\n"
           f"\r\nFinal-Recipient: rfc822; a@x.test\r\nX-Note: {SECRET}\r\n").encode()
    assert SECRET in texts(parse(raw))


@pytest.mark.parametrize(("name", "ctype"), [("chart.svg", "image/svg+xml"),
                                             ("chart.svg", "application/octet-stream")])
def test_an_svg_image_is_read_as_its_text(name: str, ctype: str) -> None:
    """An SVG is drawn from XML: its text (and labels) are read, its coordinates are not."""
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CARD[:4]} 9">'
           f'<path d="M{CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:]}" fill="#000"/>'
           f'<text x="1" y="2" aria-label="customer">{SECRET}</text></svg>').encode()
    [part] = [part for part in attach(svg, name, ctype).parts if part.path.endswith(name)]
    assert part.text.splitlines() == [f"customer {SECRET}"]


def _filled_form() -> bytes:
    """A one-page PDF with a filled-in form field, a sticky note and an embedded file."""
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_attachment("notes.txt", f"embedded {SECRET}".encode())
    writer.add_annotation(0, Text(text=f"card {CARD} in a note", rect=(10, 10, 50, 50)))
    field = DictionaryObject({NameObject("/T"): TextStringObject("applicant_ssn"),
                              NameObject("/FT"): NameObject("/Tx"),
                              NameObject("/V"): TextStringObject(SSN)})
    form = DictionaryObject({NameObject("/Fields"): ArrayObject([writer._add_object(field)])})
    writer._root_object[NameObject("/AcroForm")] = form
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_form_its_notes_and_its_embedded_files_are_read() -> None:
    """What a filled-in PDF holds besides its pages' text."""
    message = attach(_filled_form(), "form.pdf", "application/pdf")
    pdf = next(part.path for part in message.parts if part.path.endswith("form.pdf"))
    assert field(message, f"{pdf}/form") == f"applicant_ssn: {SSN}"
    assert field(message, f"{pdf}/annotations") == f"card {CARD} in a note"
    [embedded] = [part for part in message.parts if part.path == f"{pdf}/notes.txt"]
    assert embedded.text.strip() == f"embedded {SECRET}"


def test_an_xfa_forms_data_and_xmp_metadata_are_read() -> None:
    """A dynamic (XFA) form keeps its values in an XML packet, not in fields; XMP metadata
    names the author where the document information may not. Neither was read."""
    xfa = attach(containers.pdf_with_xfa({"Name": "Terry Walker", "SSN": SSN}), "f.pdf",
                 "application/pdf")
    assert field(xfa, "2/attachment:f.pdf/form") == f"Terry Walker\n{SSN}"
    xmp = attach(containers.pdf_with_xmp("Terry Walker"), "s.pdf", "application/pdf")
    assert "Terry Walker" in field(xmp, "2/attachment:s.pdf/properties").splitlines()


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def test_what_an_office_document_keeps_out_of_sight_is_read() -> None:
    """A tracked deletion and a field code of a letter, a spreadsheet's cell comment, and the
    spreadsheet the letter embeds (not its OLE object: no reader, and a note would hold it)."""
    sheet = documents.xlsx([["name", "card"], ["Terry Walker", CARD]])
    body = (f'<w:document xmlns:w="{_W}"><w:body><w:p><w:r><w:t>Hello</w:t></w:r>'
            f'<w:del><w:r><w:delText>ssn {SSN}</w:delText></w:r></w:del>'
            '<w:r><w:instrText> HYPERLINK "mailto:terry@x.test" </w:instrText></w:r>'
            '</w:p></w:body></w:document>').encode()
    letter = documents.zip_bytes({
        "[Content_Types].xml": b"<Types/>", "word/document.xml": body,
        "word/embeddings/Microsoft_Excel_Worksheet.xlsx": sheet,
        "word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64)})
    message = attach(letter, "letter.docx", "application/octet-stream")
    assert "unsupported_type" not in note_kinds(message)  # an OLE object has no reader
    docx = next(part for part in message.parts if part.path.endswith("letter.docx"))
    assert f"ssn {SSN}" in docx.text and "mailto:terry@x.test" in docx.text
    [embedded] = [part for part in message.parts
                  if part.path == f"{docx.path}/word/embeddings/Microsoft_Excel_Worksheet.xlsx"]
    assert CARD in embedded.text
    book = documents.zip_bytes({
        "[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>",
        "xl/comments1.xml": f"<comments><commentList><comment><text><t>call {SECRET}</t>"
                            "</text></comment></commentList></comments>".encode()})
    sheets = attach(book, "book.xlsx", "application/octet-stream")
    path = next(part.path for part in sheets.parts if part.path.endswith("book.xlsx"))
    assert field(sheets, f"{path}/comments") == f"call {SECRET}"


_S = documents.S_NS
_A = documents.A_NS


def _office_part(data: bytes, name: str) -> str:
    message = attach(data, name, "application/octet-stream")
    return next(part.text for part in message.parts if part.path.endswith(name))


def test_what_a_spreadsheet_holds_outside_its_cells_is_read() -> None:
    """Sheet names, the strings of defined names and formulas (a formula a program saved
    without computing it has no value), headers and footers without their formatting codes,
    input prompts, and the text of text boxes and charts."""
    sheet = (f"<worksheet xmlns='{_S}'><sheetData><row r='1'><c r='A1' t='str'>"
             '<f>"Terry "&amp;"Walker"</f></c><c r="B1"><f>SUM(C1:C20)</f><v>7</v></c>'
             f"</row></sheetData><dataValidations><dataValidation sqref='A1' "
             f"prompt='ssn {SSN}'/></dataValidations><headerFooter><oddHeader>"
             f'&amp;L&amp;"Arial,Bold"&amp;12card {CARD}&amp;R&amp;P</oddHeader></headerFooter>'
             "</worksheet>")
    drawing = (f"<xdr:wsDr xmlns:xdr='urn:xdr' xmlns:a='{_A}'><xdr:sp><xdr:txBody><a:p><a:r>"
               "<a:t>call Ann Lee</a:t></a:r></a:p></xdr:txBody></xdr:sp></xdr:wsDr>")
    book = documents.zip_bytes({
        "[Content_Types].xml": b"<Types/>",
        "xl/workbook.xml": (f"<workbook xmlns='{_S}'><sheets><sheet name='Walker T' sheetId='1'/>"
                            "</sheets><definedNames><definedName name='owner'>\"Ann Lee\""
                            "</definedName></definedNames></workbook>").encode(),
        "xl/worksheets/sheet1.xml": sheet.encode(), "xl/drawings/drawing1.xml": drawing.encode()})
    assert _office_part(book, "book.xlsx").splitlines() == [
        "Terry  Walker\t7", f"ssn {SSN}", f"   card {CARD}  ", "Walker T", "Ann Lee",
        "call Ann Lee"]


def test_alt_text_and_presentation_masters_are_read() -> None:
    """A picture's alt text in a letter, and the text a presentation's master and layouts put
    on every slide."""
    body = (f"<w:document xmlns:w='{_W}' xmlns:wp='urn:wp'><w:body><w:p><w:r><w:drawing>"
            f"<wp:inline><wp:docPr id='1' name='Picture 1' descr='passport of Terry Walker'"
            f" title='ssn {SSN}'/></wp:inline></w:drawing></w:r></w:p></w:body></w:document>")
    letter = documents.zip_bytes({"[Content_Types].xml": b"<Types/>",
                                  "word/document.xml": body.encode()})
    assert _office_part(letter, "letter.docx").split("\n") == [
        "passport of Terry Walker", f"ssn {SSN}", "", ""]
    text = "<p:{0} xmlns:p='urn:p' xmlns:a='{1}'><a:p><a:r><a:t>{2}</a:t></a:r></a:p></p:{0}>"
    deck = documents.zip_bytes({
        "[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<presentation/>",
        "ppt/slides/slide1.xml": text.format("sld", _A, "Hello").encode(),
        "ppt/slideMasters/slideMaster1.xml": text.format("sldMaster", _A, f"card {CARD}").encode(),
        "ppt/slideLayouts/slideLayout1.xml": text.format("sldLayout", _A, "for Ann Lee").encode()})
    assert _office_part(deck, "deck.pptx").split() == [
        "for", "Ann", "Lee", "card", *CARD.split(), "Hello"]


def test_zip_comments_are_read() -> None:
    """The comment of a zip and of its members (a zip tool shows them)."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("a.txt", b"hello")
        zipped.infolist()[0].comment = f"card {CARD}".encode()
        zipped.comment = f"ssn {SSN}".encode()
    message = attach(archive.getvalue(), "files.zip", "application/zip")
    assert field(message, "2/attachment:files.zip/comments") == f"ssn {SSN}\ncard {CARD}"
