"""Word and Excel 97-2003 files are read, not held as unreadable."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from message_builders import attach, mail, note_kinds, part, with_attachment
from tests.corpus.legacy_office import WORD97, renamed_stream, word97, xls
from tests.corpus.shared import OUTLOOK_DATA

from crossguard.config import Settings
from crossguard.scan import Guard
from crossguard.synth.customers import Customer

SSN_LINE = "Terry Walker, SSN 536-22-1947"


@pytest.mark.parametrize(("filename", "ctype"), [
    ("letter.doc", "application/msword"), ("letter.doc", "application/octet-stream"),
    ("letter", "application/msword"), ("template.dot", "application/octet-stream"),
])
def test_word_97_text_and_properties(filename: str, ctype: str) -> None:
    message = attach(word97(SSN_LINE), filename, ctype)
    path = f"2/attachment:{filename}"
    assert part(message, path).text.strip() == SSN_LINE
    [properties] = [f.text for f in message.fields if f.path == f"{path}/properties"]
    assert "Laurence Ipsum" in properties  # the sample's author
    assert not note_kinds(message)


def test_word_97_marks_read_as_text() -> None:
    """Cell ends, line breaks and a field's code and result: the hyperlink target is
    content too."""
    text = part(attach(word97("a\x07b\x0bc\x13HYPERLINK x@y.test\x14z\x15."), "l.doc",
                        "application/msword"), "2/attachment:l.doc").text
    assert text.split() == ["a", "b", "c", "HYPERLINK", "x@y.test", "z", "."]


def test_excel_97_sheet_names_and_cells() -> None:
    data = xls("Refunds 219-44-7713", [["Terry Walker", "536-22-1947"], ["", 4111111111111111],
                                       [12.5, "€ 3"]])
    message = attach(data, "refunds.xls", "application/vnd.ms-excel")
    assert part(message, "2/attachment:refunds.xls").text.splitlines() == [
        "Refunds 219-44-7713", "Terry Walker\t536-22-1947", "\t4111111111111111", "12.5\t€ 3"]
    assert not note_kinds(message)


def test_an_ole_file_is_told_by_its_streams_not_its_name() -> None:
    """A .doc renamed .docx (read as a zip, only the theme it embeds was seen), a workbook
    named a document, an Outlook item named .dat: each read as what it is."""
    renamed = attach(word97(SSN_LINE), "letter.docx",
                      "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert part(renamed, "2/attachment:letter.docx").text.strip() == SSN_LINE
    assert [p.path for p in renamed.parts] == ["1", "2/attachment:letter.docx"]
    as_doc = attach(xls("s", [[SSN_LINE]]), "sheet.doc", "application/msword")
    assert part(as_doc, "2/attachment:sheet.doc").text.splitlines() == ["s", SSN_LINE]
    item = attach((OUTLOOK_DATA / "unicode.msg").read_bytes(), "item.dat",
                   "application/octet-stream")
    assert any(p.path.startswith("2/attachment:item.dat/") for p in item.parts)


def test_unreadable_ole_files_are_noted() -> None:
    """Word 95, a damaged file, a password-protected .xlsx, another OLE file (a .ppt): held,
    never passed unread."""
    word95 = WORD97.read_bytes().replace(b"\xec\xa5", b"\xdc\xa5", 1)
    assert "unsupported_type" in note_kinds(attach(word95, "old.doc", "application/msword"))
    cut = attach(WORD97.read_bytes()[:3000], "cut.doc", "application/msword")
    assert "unsupported_type" in note_kinds(cut)
    locked = renamed_stream(WORD97.read_bytes(), "WordDocument", "EncryptedPackage")
    assert note_kinds(attach(locked, "list.xlsx", "application/octet-stream")) == {
        "encrypted_content"}
    slides = renamed_stream(WORD97.read_bytes(), "WordDocument", "PowerPoint Document")
    assert "unsupported_type" in note_kinds(attach(slides, "deck.ppt",
                                                    "application/vnd.ms-powerpoint"))


def test_an_encrypted_word_97_document_is_noted() -> None:
    data = bytearray(word97(SSN_LINE))
    flags_at = data.index(b"\xec\xa5") + 0x0A  # the FIB opens the WordDocument stream
    data[flags_at + 1] |= 0x01  # fEncrypted
    message = attach(bytes(data), "locked.doc", "application/msword")
    assert "encrypted_content" in note_kinds(message)
    assert SSN_LINE not in part(message, "2/attachment:locked.doc").text


def test_a_customers_data_in_an_office_97_file_to_another_is_held(
        make_settings: Callable[..., Settings], customers: list[Customer]) -> None:
    owner, reader = customers[1], customers[0]
    guard = Guard.from_settings(make_settings())
    for data, name, ctype in [
        (word97(f"Call {owner.phone}"), "letter.doc", "application/msword"),
        (xls("Refunds", [[owner.name, owner.phone]]), "refunds.xls", "application/vnd.ms-excel"),
    ]:
        message = with_attachment(mail("Attached.", From="care@example.com", To=reader.email),
                                  data, name, ctype)
        verdict = guard.check(message.as_bytes(), mail_from="care@example.com")
        assert verdict.action == "quarantine", name
        assert owner.customer_id in [a.customer_id for a in verdict.attributions], name
        assert "unreadable_content" not in [rule.rule for rule in verdict.rules], name
