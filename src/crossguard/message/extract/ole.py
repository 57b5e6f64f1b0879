"""OLE compound files (Office 97-2003 files, Outlook items, embedded objects): what one
holds, told by its streams, not its name."""

from __future__ import annotations

import struct
from collections.abc import Callable
from io import BytesIO
from typing import Any

from crossguard.message.context import Leaf, ParseContext

WORD_STREAM = "WordDocument"
EXCEL_STREAMS = frozenset({"Workbook", "Book"})
#: An Office 2007+ file saved with a password.
ENCRYPTED_STREAM = "EncryptedPackage"
OUTLOOK_STREAM = "__properties_version1.0"
#: A file an OLE object holds: a package (a file dragged into a document), an Office
#: 2007+ file, a PDF embedded by Acrobat.
PACKAGE_STREAM = "\x01Ole10Native"
OOXML_STREAM = "Package"
PDF_STREAM = "CONTENTS"
_PDF_MAGIC = b"%PDF-"
#: What olefile raises on a damaged file, opening it or reading a stream.
DAMAGED = (OSError, ValueError, struct.error, IndexError, OverflowError)


def read_ole(leaf: Leaf, ctx: ParseContext, reader: Callable[[Any], str]) -> str:
    """``reader``'s text of ``leaf``'s OLE file, opened; a file that cannot be opened, or
    whose streams are damaged, is noted ``unsupported_type``."""
    import olefile  # loaded on the first OLE file

    try:
        with olefile.OleFileIO(BytesIO(leaf.data)) as ole:
            return reader(ole)
    except DAMAGED as error:
        ctx.note("unsupported_type", leaf.path, f"a damaged OLE file: {type(error).__name__}")
        return ""


def ole_kind(data: bytes) -> str | None:
    """What an OLE compound file holds: ``"doc"``, ``"xls"``, ``"encrypted"``,
    ``"outlook"`` (a .msg item), ``"package"`` (an object holding a file); None for
    another or an unreadable one."""
    import olefile  # loaded on the first OLE file

    try:
        with olefile.OleFileIO(BytesIO(data)) as ole:
            roots = {path[0] for path in ole.listdir(streams=True, storages=True)}
            return storage_kind(ole, [], roots)
    except DAMAGED:
        return None


def storage_kind(ole: Any, storage: list[str], names: set[str]) -> str | None:
    """What ``storage`` (``[]``: the root), whose entries are ``names``, holds."""
    if WORD_STREAM in names:
        return "doc"
    if names & EXCEL_STREAMS:
        return "xls"
    if ENCRYPTED_STREAM in names:
        return "encrypted"
    if OUTLOOK_STREAM in names:
        return "outlook"
    if PACKAGE_STREAM in names or OOXML_STREAM in names:
        return "package"
    if PDF_STREAM in names:
        with ole.openstream([*storage, PDF_STREAM]) as stream:
            return "package" if stream.read(len(_PDF_MAGIC)) == _PDF_MAGIC else None
    return None
