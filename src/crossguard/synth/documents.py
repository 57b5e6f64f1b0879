"""Small documents built by hand: PDF with a text stream, office files, zip archives."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from io import BytesIO
from xml.sax.saxutils import escape, quoteattr

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def _pdf_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf(pages: Sequence[Sequence[str]], *, jpeg: bytes | None = None) -> bytes:
    """A valid PDF with one Helvetica text stream per page, one line per string.

    ``jpeg`` (with its size in the SOF header) is drawn on the first page as /Im1.
    """
    count = len(pages)
    image_number = 4 + 2 * count
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        (
            "<< /Type /Pages /Kids ["
            + " ".join(f"{4 + 2 * i} 0 R" for i in range(count))
            + f"] /Count {count} >>"
        ).encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for index, lines in enumerate(pages):
        ops = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"]
        ops += [f"({_pdf_string(line)}) Tj T*" for line in lines]
        ops.append("ET")
        xobject = ""
        if jpeg is not None and index == 0:
            ops.append("q 100 0 0 100 72 500 cm /Im1 Do Q")
            xobject = f" /XObject << /Im1 {image_number} 0 R >>"
        stream = "\n".join(ops).encode("cp1252")
        objects.append(
            (
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                f"/Resources << /Font << /F1 3 0 R >>{xobject} >> /Contents {5 + 2 * index} 0 R >>"
            ).encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    if jpeg is not None:
        width, height = _jpeg_size(jpeg)
        objects.append(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
            b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n"
            % (width, height, len(jpeg))
            + jpeg
            + b"\nendstream"
        )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _jpeg_size(jpeg: bytes) -> tuple[int, int]:
    """Width and height from a baseline JPEG's SOF0 segment."""
    at = jpeg.index(b"\xff\xc0")
    height, width = int.from_bytes(jpeg[at + 5 : at + 7]), int.from_bytes(jpeg[at + 7 : at + 9])
    return width, height


def jpeg(width: int = 32, height: int = 24) -> bytes:
    """A small baseline RGB JPEG."""
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (width, height), (200, 40, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def encrypted_pdf(lines: Sequence[str], password: str = "s3cret") -> bytes:
    """A PDF encrypted with a user password (pypdf writes the encryption)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf([lines]))))
    writer.encrypt(user_password=password, owner_password=password, algorithm="AES-128")
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes], *, encrypted: Sequence[str] = ()) -> bytes:
    """A zip archive; members named in ``encrypted`` carry the encryption flag only."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    out = bytearray(buffer.getvalue())
    for name in encrypted:
        encoded = name.encode()
        for signature, flag_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
            start = out.find(signature)
            while start != -1:
                if out[start + name_at : start + name_at + len(encoded)] == encoded:
                    out[start + flag_at] |= 0x1
                start = out.find(signature, start + 4)
    return bytes(out)


def zip_bomb(expanded: int = 50 * 1024 * 1024) -> bytes:
    """A small zip whose one member expands to ``expanded`` zero bytes."""
    buffer = BytesIO()
    chunk = bytes(1 << 20)
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("zeros.txt", "w", force_zip64=True) as member,
    ):
        for _ in range(expanded // len(chunk)):
            member.write(chunk)
    return buffer.getvalue()


def docx_xml(paragraphs: Sequence[str]) -> bytes:
    """word/document.xml with one w:p per paragraph."""
    body = "".join(
        f"<w:p><w:r><w:t xml:space='preserve'>{escape(text)}</w:t></w:r></w:p>"
        for text in paragraphs
    )
    return f"<w:document xmlns:w='{W_NS}'><w:body>{body}</w:body></w:document>".encode()


def docx(paragraphs: Sequence[str]) -> bytes:
    """A minimal DOCX: one w:p per paragraph."""
    return zip_bytes(
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": docx_xml(paragraphs)}
    )


def xlsx(rows: Sequence[Sequence[str | int]]) -> bytes:
    """A minimal XLSX: strings as shared strings, numbers as values."""
    shared: list[str] = []
    xml_rows = []
    for r, row in enumerate(rows, 1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{chr(65 + c)}{r}"
            if isinstance(value, int):
                cells.append(f"<c r='{ref}'><v>{value}</v></c>")
            else:
                shared.append(value)
                cells.append(f"<c r='{ref}' t='s'><v>{len(shared) - 1}</v></c>")
        xml_rows.append(f"<row r='{r}'>{''.join(cells)}</row>")
    sheet = f"<worksheet xmlns='{S_NS}'><sheetData>{''.join(xml_rows)}</sheetData></worksheet>"
    strings = "".join(f"<si><t>{escape(text)}</t></si>" for text in shared)
    return zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": f"<workbook xmlns='{S_NS}'/>".encode(),
            "xl/sharedStrings.xml": f"<sst xmlns='{S_NS}'>{strings}</sst>".encode(),
            "xl/worksheets/sheet1.xml": sheet.encode(),
        }
    )


def xlsx_with_pivot_cache(summary: Sequence[Sequence[str | int]],
                          source: Sequence[Sequence[str]]) -> bytes:
    """An XLSX showing ``summary`` whose pivot cache keeps ``source`` (its first row the
    field names), the sheet it came from deleted: each field's values as shared items, the
    records naming them by number."""
    header, *rows = source
    items = [list(dict.fromkeys(row[column] for row in rows)) for column in range(len(header))]
    fields = "".join(
        f"<cacheField name={quoteattr(name)}><sharedItems>"
        + "".join(f"<s v={quoteattr(value)}/>" for value in items[column])
        + "</sharedItems></cacheField>" for column, name in enumerate(header))
    records = "".join(
        "<r>" + "".join(f"<x v='{items[column].index(value)}'/>"
                        for column, value in enumerate(row)) + "</r>" for row in rows)
    members = dict(zip_members(xlsx(summary)))
    members["xl/pivotCache/pivotCacheDefinition1.xml"] = (
        f"<pivotCacheDefinition xmlns='{S_NS}'><cacheFields>{fields}</cacheFields>"
        "</pivotCacheDefinition>").encode()
    members["xl/pivotCache/pivotCacheRecords1.xml"] = (
        f"<pivotCacheRecords xmlns='{S_NS}'>{records}</pivotCacheRecords>").encode()
    return zip_bytes(members)


def zip_members(data: bytes) -> list[tuple[str, bytes]]:
    """The (name, bytes) of each member of a zip."""
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return [(name, archive.read(name)) for name in archive.namelist()]


def pptx(slides: Sequence[str]) -> bytes:
    """A minimal PPTX: one text paragraph per slide."""
    members = {
        "[Content_Types].xml": b"<Types/>",
        "ppt/presentation.xml": b"<presentation/>",
    }
    for number, text in enumerate(slides, 1):
        members[f"ppt/slides/slide{number}.xml"] = (
            f"<p:sld xmlns:p='urn:p' xmlns:a='{A_NS}'><a:p><a:r><a:t>{escape(text)}</a:t>"
            "</a:r></a:p></p:sld>"
        ).encode()
    return zip_bytes(members)


def odt(paragraphs: Sequence[str]) -> bytes:
    """A minimal ODT: one text:p per paragraph."""
    body = "".join(f"<text:p>{escape(text)}</text:p>" for text in paragraphs)
    content = (
        f"<office:document-content xmlns:office='{OFFICE_NS}' xmlns:text='{TEXT_NS}'>"
        f"<office:body><office:text>{body}</office:text></office:body>"
        "</office:document-content>"
    )
    return zip_bytes(
        {
            "mimetype": b"application/vnd.oasis.opendocument.text",
            "content.xml": content.encode(),
        }
    )


def ods(rows: Sequence[Sequence[str]]) -> bytes:
    """A minimal ODS: one table row per row, cells as text:p."""
    xml_rows = "".join(
        "<table:table-row>"
        + "".join(
            f"<table:table-cell><text:p>{escape(cell)}</text:p></table:table-cell>" for cell in row
        )
        + "</table:table-row>"
        for row in rows
    )
    content = (
        f"<office:document-content xmlns:office='{OFFICE_NS}' xmlns:text='{TEXT_NS}' "
        f"xmlns:table='{TABLE_NS}'><office:body><office:spreadsheet><table:table>"
        f"{xml_rows}</table:table></office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    return zip_bytes(
        {
            "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
            "content.xml": content.encode(),
        }
    )
