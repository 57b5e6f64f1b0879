"""Office 97-2003 files for tests: a real Word 97 document with a test's text, an Excel 97
workbook written by xlwt, and the Word sample dressed as another OLE file."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

WORD97 = Path(__file__).resolve().parents[1] / "fixtures" / "office" / "word97.doc"
#: The sample's one paragraph (tests/fixtures/office/README.md).
_PARAGRAPH = b"Test OLE file, saved as Word 97-2003 Document."


def word97(text: str) -> bytes:
    """The sample document with ``text`` (cp1252, at most 47 characters) as its paragraph."""
    encoded = text.encode("cp1252")
    if len(encoded) > len(_PARAGRAPH):
        raise ValueError(f"at most {len(_PARAGRAPH)} characters: {len(encoded)}")
    data = WORD97.read_bytes()
    assert data.count(_PARAGRAPH) == 1
    return data.replace(_PARAGRAPH, encoded.ljust(len(_PARAGRAPH)))


def xls(sheet: str, rows: list[list[str | float]]) -> bytes:
    """An Excel 97 workbook with one sheet named ``sheet`` holding ``rows``."""
    import xlwt

    book = xlwt.Workbook()
    page = book.add_sheet(sheet)
    for number, row in enumerate(rows):
        for column, value in enumerate(row):
            page.write(number, column, value)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def renamed_stream(data: bytes, old: str, new: str) -> bytes:
    """An OLE file whose directory entry ``old`` is named ``new`` (at most 31 characters):
    the Word sample's "WordDocument" as the "EncryptedPackage" of a password-protected
    .docx, say."""
    old_name, new_name = (f"{name}\0".encode("utf-16-le") for name in (old, new))
    at = data.index(old_name)
    entry = bytearray(data[at:at + 66])
    entry[:64] = new_name.ljust(64, b"\0")
    entry[64:66] = len(new_name).to_bytes(2, "little")
    return data[:at] + bytes(entry) + data[at + 66:]
