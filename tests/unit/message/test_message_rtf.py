"""RTF documents and Outlook's RTF bodies are read as the text they show, and the text they
hold where no page shows it."""

from __future__ import annotations

import struct
from collections.abc import Callable

import pytest
from message_builders import attach, mail, note_kinds, part

from crossguard.config import Settings
from crossguard.message import ImageSettings, ParseLimits, parse_message
from crossguard.message.extract.rtf import rtf_text
from crossguard.scan import Guard
from crossguard.synth import containers, documents
from crossguard.synth.customers import Customer

#: As Word writes a letter: formatting groups split one number, non-ASCII letters escaped.
LETTER = (r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Calibri;}}"
          r"{\colortbl;\red255\green0\blue0;}{\*\generator Riched20 10.0.19041}"
          r"{\info{\title Brief an Kunde 219-44-7713}{\author Agent Smith}{\company Ana GmbH}}"
          r"{\header \pard Ref 4111-1111-1111-1111\par}{\footer \pard Tel 030 1234 5678\par}"
          r"\pard\f0\fs22{\insrsid1 Kunde: J\'fcrgen M\'fcller, SSN 536-}{\insrsid2 22-1947}\par "
          r"{\v hidden 078-05-1120}\par"
          r'{\field{\*\fldinst HYPERLINK "mailto:juergen@mail.example.org"}{\fldrslt mail}}\par '
          r"Preis \u8364? 12{\*\atnid AS}{\*\annotation R\'fcckruf 0171 2345678}\par"
          r"{\pict\pngblip 89504e470d0a1a0a0000000d49484452}}")


def test_letter_text_and_its_unprinted_content() -> None:
    text = rtf_text(LETTER.encode("ascii"))
    assert "Kunde: Jürgen Müller, SSN 536-22-1947" in text  # runs joined, escapes decoded
    for held in ("hidden 078-05-1120", "Preis € 12", "Brief an Kunde 219-44-7713",
                 "Agent Smith", "Ana GmbH", "Ref 4111-1111-1111-1111", "Tel 030 1234 5678",
                 'HYPERLINK "mailto:juergen@mail.example.org"', "Rückruf 0171 2345678"):
        assert held in text, held
    for markup in ("Calibri", "255", "Riched20", "89504e47", "insrsid", "\\"):
        assert markup not in text, markup


def test_nested_content_groups_are_read_once_each() -> None:
    """Read where they stand in one pass: 20,000 footers nested in each other are 20,000
    lines, not each one's text again for every footer around it."""
    nested = b"{\\rtf1 " + b"{\\footer x\\par " * 20_000 + b"}" * 20_000 + b"}"
    assert rtf_text(nested) == "\n".join(["x"] * 20_000)
    escaped = rb"{\rtf1 \\{\footer SSN 536-22-1947}}"  # a backslash, then a real footer
    assert rtf_text(escaped) == "\\SSN 536-22-1947"


def test_the_documents_code_page_reads_its_escapes_wherever_they_stand() -> None:
    cyrillic = rb"{\rtf1\ansi\ansicpg1251 \'c8\'e2\'e0\'ed \'cf\'e5\'f2\'f0\'ee\'e2\par}"
    assert rtf_text(cyrillic) == "Иван Петров"
    astral = rb"{\rtf1\ansi \u-10187?\u-8904? and \u-10187?\par}"  # a pair, a lone half
    assert rtf_text(astral) == "\U0001d538 and \ufffd"
    in_a_footer = rb"{\rtf1\ansi\ansicpg1251{\footer \'c8\'e2\'e0\'ed\par}\par}"
    assert rtf_text(in_a_footer) == "Иван"  # read apart from the document, in its code page


@pytest.mark.parametrize(("filename", "ctype"), [
    ("letter.rtf", "application/rtf"), ("letter.rtf", "application/octet-stream"),
    ("letter", "text/rtf"), ("letter.doc", "application/msword"),  # Word saves RTF as .doc too
])
def test_rtf_is_known_by_type_name_or_first_bytes(filename: str, ctype: str) -> None:
    message = attach(LETTER.encode("ascii"), filename, ctype)
    text = part(message, f"2/attachment:{filename}").text
    assert "SSN 536-22-1947" in text and "\\insrsid" not in text
    assert not note_kinds(message)


def test_pictures_reach_the_image_reader_when_image_reading_is_on() -> None:
    """As in a Word document: the PNG or JPEG picture, not the metafile drawn for older
    readers, and no hex in the text."""
    picture = documents.jpeg()
    letter = (r"{\rtf1\ansi Photo below\par{\*\shppict{\pict{\*\picprop{\sp{\sn x}{\sv 1}}}"
              r"{\*\blipuid 00ff}\picw10\jpegblip " + picture.hex() + r"}}"
              r"{\nonshppict{\pict\wmetafile8 0100090000}}\par}").encode("ascii")
    message = mail("see attached", From="a@x.test")
    message.add_attachment(letter, maintype="application", subtype="rtf", filename="l.rtf")
    read = parse_message(message.as_bytes(), ParseLimits(), images=ImageSettings(ocr=False))
    assert [p.path for p in read.parts] == ["1", "2/attachment:l.rtf",
                                            "2/attachment:l.rtf/picture1.jpeg"]
    assert part(read, "2/attachment:l.rtf/picture1.jpeg").data == picture
    assert part(read, "2/attachment:l.rtf").text == "Photo below"
    skipped = parse_message(message.as_bytes(), ParseLimits())
    assert [p.path for p in skipped.parts] == ["1", "2/attachment:l.rtf"]


def test_winmail_dat_with_an_rtf_body_only() -> None:
    """Outlook's Rich Text format: the body is compressed RTF among the MAPI properties."""
    data = containers.tnef("", {}, rtf=LETTER.encode("ascii"))
    message = attach(data, "winmail.dat", "application/ms-tnef")
    body = part(message, "2/attachment:winmail.dat/body.rtf")
    assert "Kunde: Jürgen Müller, SSN 536-22-1947" in body.text
    assert not note_kinds(message)


def test_an_html_message_outlook_wrapped_in_rtf_is_read_as_html() -> None:
    """Exchange's winmail.dat of an HTML message: the tags ride in \\htmltag groups. Its
    text, a tracking picture's address and alt text are read as an HTML part's are."""
    wrapped = (rb"{\rtf1\ansi\ansicpg1252\fromhtml1 \deff0{\fonttbl{\f0\fswiss Arial;}}"
               rb"{\*\htmltag19 <html>}{\*\htmltag50 <body>}{\*\htmltag84 <img alt=\'22Terry"
               rb" Walker\'22 src=\'22https://t.test/o.gif?e=terry%40x.test\'22>}"
               rb"{\*\htmltag64 <p>}\htmlrtf {\htmlrtf0 SSN 536-22-1947\htmlrtf }\htmlrtf0 "
               rb"{\*\htmltag72 </p>}{\*\htmltag58 </body>}{\*\htmltag27 </html>}}")
    message = attach(containers.tnef("", {}, rtf=wrapped), "winmail.dat", "application/ms-tnef")
    html = "2/attachment:winmail.dat/body.rtf/html"
    assert part(message, html).text == "SSN 536-22-1947"
    [links] = [f.text for f in message.fields if f.path == f"{html}/links"]
    assert links.splitlines() == ["Terry Walker", "o.gif e terry@x.test"]
    assert part(message, "2/attachment:winmail.dat/body.rtf").text == ""


def test_a_damaged_rtf_body_is_noted() -> None:
    data = containers.tnef("Call me", {}, rtf=LETTER.encode("ascii"))
    damaged = data.replace(b"LZFu", b"LZFx")  # compressed RTF's magic: not a stream it knows
    message = attach(damaged, "winmail.dat", "application/ms-tnef")
    assert "bad_archive" in note_kinds(message)
    assert "Call me" in part(message, "2/attachment:winmail.dat").text


def test_another_customers_data_in_an_rtf_letter_is_held(
        make_settings: Callable[..., Settings], customers: list[Customer]) -> None:
    """The phone split by Word's formatting groups, as the letter was edited."""
    owner, reader = customers[1], customers[0]
    cut = len(owner.phone) // 2
    letter = (rf"{{\rtf1\ansi Dear {owner.name},\par we will call you on "
              rf"{{\insrsid7 {owner.phone[:cut]}}}{{\insrsid9 {owner.phone[cut:]}}}.\par}}")
    message = mail("Your letter is attached.", From="care@example.com", To=reader.email)
    message.add_attachment(letter.encode("ascii"), maintype="application", subtype="rtf",
                           filename="letter.rtf")
    verdict = Guard.from_settings(make_settings()).check(message.as_bytes(),
                                                         mail_from="care@example.com")
    assert verdict.action == "quarantine"
    [attribution] = [a for a in verdict.attributions if a.customer_id == owner.customer_id]
    assert {evidence.kind for evidence in attribution.evidence} >= {"PHONE"}


@pytest.mark.parametrize(("data", "claim"), [
    (bytes.fromhex("789f3e22010001069009000400000000000100010001039006007048000001"
                   "5f004d0201"), "claims 1291869953 properties"),
    (containers.tnef("", {}) + containers.tnef_attribute(
        1, 0x0006, 0x9003, struct.pack("<IHHI", 1, 0x1002, 0x3A00, 6_160_384) + bytes(4)),
     "claims 6160384 values"),
])
def test_a_winmail_dat_whose_counts_cannot_fit_is_refused(data: bytes, claim: str) -> None:
    """tnefparse loops over such counts past the data's end (a 36-byte file held a thread for
    minutes): refused before it reads them, and held as unreadable."""
    message = attach(data, "winmail.dat", "application/ms-tnef")
    [note] = message.notes
    assert note.kind == "bad_archive" and claim in note.reason


def test_a_winmail_dats_text_properties_are_read() -> None:
    """Outlook's MAPI properties carry text no body shows: the conversation topic, sender and
    account addresses, the company (here a string property, PR_CONVERSATION_TOPIC)."""
    topic = b"Refund Terry Walker 536-22-1947\x00"
    prop = (struct.pack("<IHHII", 1, 0x001E, 0x0070, 1, len(topic)) + topic
            + bytes(-len(topic) % 4))
    codepage = containers.tnef_attribute(1, 0x0006, 0x9007, struct.pack("<II", 1252, 0))
    data = (containers.tnef("Hello", {}) + codepage
            + containers.tnef_attribute(1, 0x0006, 0x9003, prop))
    message = attach(data, "winmail.dat", "application/ms-tnef")
    [properties] = [f.text for f in message.fields
                    if f.path == "2/attachment:winmail.dat/properties"]
    assert properties == "Refund Terry Walker 536-22-1947"
    assert not message.notes
