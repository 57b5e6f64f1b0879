"""Files embedded in documents as OLE objects are read as parts inside them."""

from __future__ import annotations

from collections.abc import Callable

import olefile
import pytest
from message_builders import attach, mail, note_kinds, part, with_attachment
from tests.corpus.embedded import (
    PACKAGE_STREAM,
    ole1_object,
    ole_file,
    package_native,
    package_object,
    package_stream,
    rtf_with_object,
)
from tests.corpus.legacy_office import word97, xls

from crossguard.config import Settings
from crossguard.message import Message
from crossguard.message.extract import rtf
from crossguard.scan import Guard
from crossguard.synth import documents
from crossguard.synth.customers import Customer

SSN_LINE = "Terry Walker, SSN 536-22-1947"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SOURCE = r"C:\Users\agent\Desktop\walker refunds.txt"


def _docx_with(embedded: dict[str, bytes]) -> bytes:
    return documents.zip_bytes({"[Content_Types].xml": b"<Types/>",
                                "word/document.xml": documents.docx_xml(["See attached."]),
                                **{f"word/embeddings/{n}": d for n, d in embedded.items()}})


def _holding(message: Message, text: str) -> list[str]:
    return [p.path for p in (*message.parts, *message.fields) if text in (p.text or "")]


def _names(message: Message, path: str) -> str:
    [names] = [f.text for f in message.fields if f.path == f"{path}/filename"]
    return names


def _stream(ole_data: bytes, name: str) -> bytes:
    with olefile.OleFileIO(ole_data) as ole:
        return bytes(ole.openstream(name).read())


def test_a_file_packaged_in_a_docx_is_read_with_its_names() -> None:
    """A text file dragged into a letter: its text, its name and where it came from."""
    message = attach(_docx_with({"oleObject1.bin": package_object(
        "refunds.txt", SSN_LINE.encode(), SOURCE)}), "letter.docx", DOCX)
    inside = "2/attachment:letter.docx/word/embeddings/oleObject1.bin/refunds.txt"
    assert part(message, inside).text.strip() == SSN_LINE
    assert SOURCE in _names(message, inside).splitlines()
    assert not note_kinds(message)


def test_unicode_names_of_a_package_are_read() -> None:
    message = attach(_docx_with({"oleObject1.bin": package_object(
        "Ελένη.txt", SSN_LINE.encode(), r"C:\Ελένη Παππά.txt", wide=True)}), "l.docx", DOCX)
    assert _holding(message, "Ελένη Παππά")
    assert _holding(message, SSN_LINE)


def test_a_linked_package_gives_its_names_only() -> None:
    data = ole_file({PACKAGE_STREAM: package_stream("id.pdf", b"", r"\\srv\ids\walker.pdf",
                                                    link=True)})
    message = attach(_docx_with({"oleObject1.bin": data}), "l.docx", DOCX)
    assert _holding(message, r"\\srv\ids\walker.pdf")
    assert not note_kinds(message)


def test_office_and_pdf_files_embedded_as_ole_objects_are_read() -> None:
    """An Excel 97 sheet, an .xlsx in an OLE object's Package stream, Acrobat's PDF."""
    message = attach(_docx_with({
        "oleObject1.bin": xls("Refunds", [[SSN_LINE]]),
        "oleObject2.bin": ole_file({"Package": documents.xlsx([["Ana Silva", "219-44-7713"]])}),
        "oleObject3.bin": ole_file({"CONTENTS": documents.pdf([["SSN 078-05-1120"]])}),
    }), "letter.docx", DOCX)
    for text in (SSN_LINE, "219-44-7713", "078-05-1120"):
        assert _holding(message, text), text
    assert not note_kinds(message)


def test_objects_without_a_file_are_left_without_a_note() -> None:
    """An equation or an old chart: nothing to read, and no note to hold the letter."""
    equation = ole_file({"Equation Native": b"\x1c\x00" * 40, "\x01CompObj": b"\0" * 40})
    chart = ole_file({"CONTENTS": b"\x01\x02 not a pdf"})
    message = attach(_docx_with({"oleObject1.bin": equation, "oleObject2.bin": chart}),
                     "letter.docx", DOCX)
    assert [p.path for p in message.parts] == ["1", "2/attachment:letter.docx"]
    assert not note_kinds(message)


def test_damaged_objects_are_noted() -> None:
    """A package whose label never ends; a letter whose property stream is a storage
    (olefile raises OSError reading it: an internal error, before)."""
    broken = ole_file({PACKAGE_STREAM: b"\x10\0\0\0\x02\0no end of the label"})
    assert "unsupported_type" in note_kinds(attach(broken, "object.bin",
                                                   "application/octet-stream"))
    storage = ole_file({"WordDocument": bytes(64), "\x05SummaryInformation": None,
                        "\x05SummaryInformation/x": b"x"})
    assert note_kinds(attach(storage, "l.doc", "application/msword")) == {"unsupported_type"}


def test_files_in_the_storages_of_office_97_files_are_read() -> None:
    """A sheet in a Word 97 letter's ObjectPool; a packaged file in a workbook."""
    letter = olefile.OleFileIO(word97("Please see the sheet."))
    entries: dict[str, bytes | None] = {"/".join(path): letter.openstream(path).read()
                                        for path in letter.listdir()}
    entries |= {"ObjectPool": None, "ObjectPool/_1234": None,
                "ObjectPool/_1234/Workbook": _stream(xls("Refunds", [[SSN_LINE]]), "Workbook")}
    message = attach(ole_file(entries), "letter.doc", "application/msword")
    [inside] = _holding(message, SSN_LINE)
    assert _names(message, inside) == "ObjectPool/_1234"  # the path holds it masked
    assert "Please see the sheet." in part(message, "2/attachment:letter.doc").text
    book = olefile.OleFileIO(xls("Orders", [["order 7"]]))
    entries = {"/".join(path): book.openstream(path).read() for path in book.listdir()}
    entries |= {"MBD0001": None,
                "MBD0001/" + PACKAGE_STREAM: package_stream("ssn.txt", SSN_LINE.encode(), SOURCE)}
    message = attach(ole_file(entries), "orders.xls", "application/vnd.ms-excel")
    [inside] = _holding(message, SSN_LINE)
    assert _names(message, inside).splitlines()[0] == "ssn.txt"
    assert _names(message, inside.rsplit("/", 1)[0]) == "MBD0001"
    assert not note_kinds(message)


def test_rtf_objects_are_read() -> None:
    """A packaged file and a Word 97 document embedded in an RTF letter."""
    packaged = rtf_with_object("Dear Ana,", ole1_object(
        "Package", package_native("ssn.txt", SSN_LINE.encode(), SOURCE)))
    message = attach(packaged, "letter.rtf", "application/rtf")
    assert _holding(message, SSN_LINE) == ["2/attachment:letter.rtf/ssn.txt"]
    assert part(message, "2/attachment:letter.rtf").text.strip() == "Dear Ana,"
    word = rtf_with_object("Dear Ana,", ole1_object("Word.Document.8", word97(SSN_LINE)))
    assert _holding(attach(word, "letter.rtf", "application/rtf"), SSN_LINE) == [
        "2/attachment:letter.rtf/object1"]
    for damaged in (b"\x01\x05\0\0\x02\0\0\0\xff\xff\xff\x7fPackage", b"\0\0"):
        message = attach(rtf_with_object("Dear Ana,", damaged), "letter.rtf", "application/rtf")
        assert [p.path for p in message.parts] == ["1", "2/attachment:letter.rtf"]


def test_nested_rtf_objects_are_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """20,000 objects nested in each other: the outermost one's hex is read, once; not
    every inner one's again (quadratic, 4 s at 50,000)."""
    seen: list[int] = []
    read_hex = rtf._hex
    monkeypatch.setattr(rtf, "_hex", lambda group: seen.append(len(group)) or read_hex(group))
    deep = b"{\\rtf1 text" + b"{\\*\\objdata 00" * 20_000 + b"}" * 20_000 + b"}"
    message = attach(deep, "deep.rtf", "application/rtf")
    assert len(seen) == 1 and seen[0] < len(deep)
    assert part(message, "2/attachment:deep.rtf").text == "text"


def test_a_customers_data_embedded_in_a_letter_to_another_is_held(
        make_settings: Callable[..., Settings], customers: list[Customer]) -> None:
    owner, reader = customers[1], customers[0]
    guard = Guard.from_settings(make_settings())
    line = f"{owner.name}, {owner.phone}".encode()
    for data, name, ctype in [
        (_docx_with({"oleObject1.bin": package_object("customer.txt", line, SOURCE)}),
         "letter.docx", DOCX),
        (rtf_with_object("Dear customer,", ole1_object(
            "Package", package_native("customer.txt", line, SOURCE))), "letter.rtf",
         "application/rtf"),
    ]:
        message = with_attachment(mail("Attached.", From="care@example.com", To=reader.email),
                                  data, name, ctype)
        verdict = guard.check(message.as_bytes(), mail_from="care@example.com")
        assert verdict.action == "quarantine", name
        assert owner.customer_id in [a.customer_id for a in verdict.attributions], name
