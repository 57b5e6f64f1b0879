"""Office 97-2003 files: Word ``.doc`` (olefile and the [MS-DOC] piece table) and Excel
``.xls`` (xlrd).

Both are OLE compound files. A Word document's text is every story its piece table
holds: the body, headers and footers, footnotes, comments and text boxes, field codes
(a hyperlink's target) kept. A workbook's text is each sheet's name, then its rows, a
line each. The document properties (title, subject, author, keywords, comments,
company...) are the field ``<part>/properties``, as a ``.docx``'s are. An encrypted
file is noted ``encrypted_content``; one neither reader knows (Word 95, damaged) is
noted ``unsupported_type``. Files embedded in them (a sheet in a letter, a file dragged
into a sheet) are parts inside them (:mod:`embedded`).
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable
from typing import Any

from crossguard.message.context import Leaf, ParseContext
from crossguard.message.extract.embedded import read_storages
from crossguard.message.extract.ole import WORD_STREAM, read_ole

_WORD_MAGIC = 0xA5EC  # a Word 97 or later FIB; Word 95 wrote 0xA5DC
_FLAGS_AT = 0x0A
_ENCRYPTED = 0x0100
_TABLE_1 = 0x0200  # the piece table is in "1Table", else "0Table"
_CLX_AT = 0x01A2  # fcClx, lcbClx in FibRgFcLcb97
_COMPRESSED = 0x40000000  # a piece of 8-bit text (cp1252) rather than UTF-16
#: Word's marks read as text: paragraph, cell and line ends, page break; field begin,
#: separator and end; object and picture anchors; non-breaking and optional hyphens.
_MARKS = str.maketrans({"\r": "\n", "\x07": "\n", "\x0b": "\n", "\x0c": "\n", "\x13": " ",
                        "\x14": " ", "\x15": " ", "\x01": "", "\x08": "", "\x1e": "-",
                        "\x1f": ""})
#: The summary property streams (title, subject, author, keywords, comments, company...).
_PROPERTY_STREAMS = ("\x05SummaryInformation", "\x05DocumentSummaryInformation")
#: Runs of four or more printable characters, 8-bit (cp1252) or UTF-16.
_TEXT_8 = re.compile(rb"[\x20-\x7e\xa0-\xff]{4,}")
_TEXT_16 = re.compile(rb"(?:[\x20-\x7e\xa0-\xff]\x00){4,}")


class _Unreadable(Exception):
    """The file is not one this reader knows."""


def extract_doc(leaf: Leaf, ctx: ParseContext) -> str:
    """The text of a Word 97-2003 document."""
    return _read(leaf, ctx, _word_text)


def extract_xls(leaf: Leaf, ctx: ParseContext) -> str:
    """The text of an Excel 97-2003 workbook."""
    return _read(leaf, ctx, _workbook_text)


def _read(leaf: Leaf, ctx: ParseContext, text_of: Callable[[Any, bytes], str]) -> str:
    def read(ole: Any) -> str:
        ctx.add_field(f"{leaf.path}/properties", _properties(ole))
        try:
            text = text_of(ole, leaf.data)
        except PermissionError:
            ctx.note("encrypted_content", leaf.path, "encrypted content cannot be read")
            return ""
        except _Unreadable as error:
            ctx.note("unsupported_type", leaf.path, str(error))
            return ""
        read_storages(ole, leaf, ctx)
        return text

    return read_ole(leaf, ctx, read)


def _word_text(ole: Any, data: bytes) -> str:
    """Every story of the document, from its piece table."""
    document = ole.openstream(WORD_STREAM).read()
    try:
        magic, = struct.unpack_from("<H", document, 0)
        flags, = struct.unpack_from("<H", document, _FLAGS_AT)
        if magic != _WORD_MAGIC:
            raise _Unreadable("a Word document older than Word 97")
        if flags & _ENCRYPTED:
            raise PermissionError
        table_name = "1Table" if flags & _TABLE_1 else "0Table"
        if not ole.exists(table_name):
            raise _Unreadable(f"no {table_name} stream")
        table = ole.openstream(table_name).read()
        at, size = struct.unpack_from("<II", document, _CLX_AT)
        return "".join(_pieces(document, table[at:at + size])).translate(_MARKS)
    except (struct.error, IndexError) as error:
        raise _Unreadable("a damaged Word document") from error


def _pieces(document: bytes, clx: bytes) -> list[str]:
    """The text of each piece the Clx lists (MS-DOC 2.9.38: Prc entries, then the Pcdt)."""
    at = 0
    while clx[at] == 0x01:  # a Prc: formatting, skipped
        at += 3 + struct.unpack_from("<H", clx, at + 1)[0]
    if clx[at] != 0x02:
        raise _Unreadable("a damaged piece table")
    size, = struct.unpack_from("<I", clx, at + 1)
    plc = clx[at + 5:at + 5 + size]
    count = (len(plc) - 4) // 12
    positions = struct.unpack_from(f"<{count + 1}I", plc, 0)
    texts = []
    for index in range(count):
        _, offset, _ = struct.unpack_from("<HIH", plc, 4 * (count + 1) + 8 * index)
        length = positions[index + 1] - positions[index]
        if offset & _COMPRESSED:
            start = (offset & ~_COMPRESSED) // 2
            texts.append(document[start:start + length].decode("cp1252", "replace"))
        else:
            texts.append(document[offset:offset + 2 * length].decode("utf-16-le", "replace"))
    return texts


def _workbook_text(ole: Any, data: bytes) -> str:
    """Each sheet's name, then its rows, cells apart by tabs; whole numbers without ".0"."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except xlrd.XLRDError as error:
        if "encrypted" in str(error).lower():
            raise PermissionError from error
        raise _Unreadable(f"not a readable workbook: {type(error).__name__}") from error
    lines = []
    for sheet in book.sheets():
        lines.append(sheet.name)
        for row in range(sheet.nrows):
            cells = [_cell_text(value) for value in sheet.row_values(row)]
            if any(cells):
                lines.append("\t".join(cells))
    return "\n".join(lines)


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value) if value != "" else ""


def _properties(ole: Any) -> str:
    """The text of the summary property streams: their runs of printable characters, a line
    each. olefile's property parser is not used: it loops over a vector count a damaged
    file sets (a 22 KB file held a thread for minutes)."""
    lines = []
    for name in _PROPERTY_STREAMS:
        if ole.exists(name):
            data = ole.openstream(name).read()
            lines += [run.decode("cp1252", "replace") for run in _TEXT_8.findall(data)]
            lines += [run.decode("utf-16-le") for run in _TEXT_16.findall(data)]
    return "\n".join(lines)
