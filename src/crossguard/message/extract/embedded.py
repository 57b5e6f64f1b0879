"""Objects embedded in documents, each read as a part inside the document that holds it.

* An OLE package (MS-OLEDS 2.3.6): a file dragged into a letter or a sheet, kept
  whole with its name and where it came from. Both names are content.
* An Office 2007+ file embedded as an OLE object (its ``Package`` stream), and a PDF
  embedded by Acrobat (its ``CONTENTS`` stream).
* A Word or Excel 97-2003 file, or a package, in a storage of another OLE file (a
  sheet in a Word 97 letter's ObjectPool): that storage is read as the OLE file it
  would be on its own.
* An RTF document's objects (``\\objdata``): OLE 1.0 objects (MS-OLEDS 2.2) whose
  native data is a package or an OLE file.

Objects with no text to read (an equation, a chart drawn by an old program) are left
without a note, as a note would hold every letter carrying one.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from io import BytesIO
from typing import Any

from crossguard.message.context import Leaf, ParseContext, type_of
from crossguard.message.extract.ole import (
    OOXML_STREAM,
    PACKAGE_STREAM,
    PDF_STREAM,
    ole_kind,
    read_ole,
    storage_kind,
)
from crossguard.message.outlook import OLE_MAGIC

_OOXML_TYPE = "application/vnd.openxmlformats-officedocument.package"
#: What a storage of another OLE file may hold and be read as.
_STORAGE_KINDS = frozenset({"doc", "xls", "encrypted", "package"})
_LINK = 1  # a package that names a file elsewhere: its names, no contents
_OLE1_EMBEDDED = 2
_ANSI = "cp1252"


def extract_package(leaf: Leaf, ctx: ParseContext) -> str:
    """An OLE object holding a file (an ``oleObject1.bin``): the file, read as a part."""
    return read_ole(leaf, ctx, lambda ole: _read_object(ole, leaf, ctx))


def _read_object(ole: Any, leaf: Leaf, ctx: ParseContext) -> str:
    if ole.exists(PACKAGE_STREAM):
        native = ole.openstream(PACKAGE_STREAM).read()
        _read_package(native[4:], leaf, ctx)  # after the stream's own size
    elif ole.exists(OOXML_STREAM):
        ctx.read_leaf(Leaf(path=f"{leaf.path}/package", content_type=_OOXML_TYPE,
                           data=ole.openstream(OOXML_STREAM).read(), depth=leaf.depth + 1,
                           is_attachment=True))
    elif ole.exists(PDF_STREAM):
        ctx.read_leaf(Leaf(path=f"{leaf.path}/contents.pdf", content_type="application/pdf",
                           data=ole.openstream(PDF_STREAM).read(), depth=leaf.depth + 1,
                           filename="contents.pdf", is_attachment=True))
    read_storages(ole, leaf, ctx)
    return ""


def read_storages(ole: Any, leaf: Leaf, ctx: ParseContext) -> None:
    """Read each storage below the root that holds a file of its own as that file."""
    from extract_msg.ole_writer import OleWriter  # writes a storage out as an OLE file

    for storage in _file_storages(ole):
        if not ctx.has_room(leaf.path):
            return
        writer = OleWriter()
        writer.fromOleFile(ole, storage)
        out = BytesIO()
        writer.write(out)
        ctx.read_leaf(Leaf(path=ctx.named(f"{leaf.path}/", "/".join(storage)),
                           content_type="application/x-ole-storage", data=out.getvalue(),
                           depth=leaf.depth + 1, is_attachment=True))


def _file_storages(ole: Any) -> Iterator[list[str]]:
    """The storages below the root holding a file, outermost only: an inner one is read
    with the file that holds it."""
    entries: dict[tuple[str, ...], set[str]] = {}
    for path in ole.listdir(streams=True, storages=True):
        entries.setdefault(tuple(path[:-1]), set()).add(path[-1])
    taken: set[tuple[str, ...]] = set()
    for storage in sorted(entries, key=len):
        if storage and not any(storage[:depth] in taken for depth in range(1, len(storage))) \
                and storage_kind(ole, list(storage), entries[storage]) in _STORAGE_KINDS:
            taken.add(storage)
            yield list(storage)


def read_ole1(objdata: bytes, leaf: Leaf, ctx: ParseContext, number: int) -> None:
    """Read an RTF object's OLE 1.0 data: a package's file, or the OLE file of a Word,
    Excel or other object (left unread when it holds no file of a kind read here)."""
    native = _ole1_native(objdata)
    if native is None:
        return
    class_name, data = native
    if class_name == "Package":
        _read_package(data, leaf, ctx)
    elif data.startswith(OLE_MAGIC) and ole_kind(data) is not None:
        ctx.read_leaf(Leaf(path=f"{leaf.path}/object{number}",
                           content_type="application/x-ole-storage", data=data,
                           depth=leaf.depth + 1, is_attachment=True))


def _ole1_native(objdata: bytes) -> tuple[str, bytes] | None:
    """(class name, native data) of an embedded OLE 1.0 object (MS-OLEDS 2.2.4 and 2.2.5):
    version, format, then the class, topic and item names and the native data, each
    after its size."""
    try:
        _version, format_id = struct.unpack_from("<II", objdata, 0)
        if format_id != _OLE1_EMBEDDED:
            return None
        class_name, at = _counted(objdata, 8)
        _topic, at = _counted(objdata, at)
        _item, at = _counted(objdata, at)
        size, = struct.unpack_from("<I", objdata, at)
    except struct.error:
        return None
    return class_name, objdata[at + 4:at + 4 + size]


def _counted(data: bytes, at: int) -> tuple[str, int]:
    """A string after its 4-byte size (its terminating zero included), and where it ends."""
    size, = struct.unpack_from("<I", data, at)
    end = at + 4 + size
    if end > len(data):
        raise struct.error("a name past the data's end")
    return data[at + 4:end].rstrip(b"\0").decode(_ANSI, "replace"), end


def _read_package(native: bytes, leaf: Leaf, ctx: ParseContext) -> None:
    """Read a package's file (MS-OLEDS 2.3.6): its type, label and source path, two
    reserved words and its kind, the temporary path and the contents after its size;
    then, from newer writers, the three names again in UTF-16."""
    try:
        label, at = _zero_ended(native, 2)
        source, at = _zero_ended(native, at)
        kind, = struct.unpack_from("<H", native, at + 2)
        temp, at = _zero_ended(native, at + 8)
        size, = struct.unpack_from("<I", native, at) if kind != _LINK else (0,)
    except struct.error:
        ctx.note("unsupported_type", leaf.path, "a damaged OLE package")
        return
    contents = native[at + 4:at + 4 + size]
    wide = _wide_names(native, at + 4 + size) if kind != _LINK else []
    name = next((n for n in (*wide[1:2], label) if n), "package")
    path = ctx.named(f"{leaf.path}/", name, label, source, temp, *wide)
    if kind == _LINK:
        return
    ctx.read_leaf(Leaf(path=path, content_type=type_of(name), data=contents, depth=leaf.depth + 1,
                       filename=name, is_attachment=True))


def _zero_ended(data: bytes, at: int) -> tuple[str, int]:
    """An ANSI string ending in a zero byte, and where the next field starts."""
    end = data.find(b"\0", at)
    if end < 0:
        raise struct.error("a name without its end")
    return data[at:end].decode(_ANSI, "replace"), end + 1


def _wide_names(data: bytes, at: int) -> list[str]:
    """The temporary path, label and source path in UTF-16, each after its length in
    characters, where a newer writer put them; [] when they are not there."""
    names: list[str] = []
    for _ in range(3):
        if at + 4 > len(data):
            return names
        count, = struct.unpack_from("<I", data, at)
        end = at + 4 + 2 * count
        if end > len(data):
            return names
        names.append(data[at + 4:end].decode("utf-16-le", "replace"))
        at = end
    return names
