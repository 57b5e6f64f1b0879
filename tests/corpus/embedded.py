"""Embedded objects for tests: OLE files written by extract-msg's OleWriter, OLE packages
(a file dragged into a document) and the OLE 1.0 objects of RTF files."""

from __future__ import annotations

import struct
from io import BytesIO

PACKAGE_STREAM = "\x01Ole10Native"


def ole_file(entries: dict[str, bytes | None]) -> bytes:
    """An OLE compound file: each path (``"ObjectPool/_1/Workbook"``) a stream of its bytes,
    or a storage where the value is None."""
    from extract_msg.ole_writer import OleWriter

    writer = OleWriter()
    for path, data in entries.items():
        writer.addEntry(path, data, storage=data is None)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def package_native(label: str, contents: bytes, source: str, *, link: bool = False,
                   wide: bool = False) -> bytes:
    """A package's native data (MS-OLEDS 2.3.6), as an RTF object holds it; ``wide`` adds
    the UTF-16 names newer writers append, ``link`` makes it name a file it does not hold."""
    temp = source.encode("cp1252", "replace") + b"\0"
    out = (struct.pack("<H", 2) + label.encode("cp1252", "replace") + b"\0" + temp
           + struct.pack("<HHI", 0, 1 if link else 3, len(temp)) + temp)
    if link:
        return out
    out += struct.pack("<I", len(contents)) + contents
    if wide:
        for name in (source, label, source):
            out += struct.pack("<I", len(name)) + name.encode("utf-16-le")
    return out


def package_stream(label: str, contents: bytes, source: str, **options: bool) -> bytes:
    """The ``\\x01Ole10Native`` stream of an OLE object holding a package."""
    native = package_native(label, contents, source, **options)
    return struct.pack("<I", len(native)) + native


def package_object(label: str, contents: bytes, source: str, **options: bool) -> bytes:
    """An OLE object (an ``oleObject1.bin``) holding a package."""
    return ole_file({PACKAGE_STREAM: package_stream(label, contents, source, **options)})


def ole1_object(class_name: str, native: bytes) -> bytes:
    """An embedded OLE 1.0 object (MS-OLEDS 2.2): the data an RTF ``\\objdata`` holds."""
    name = class_name.encode("ascii") + b"\0"
    return (struct.pack("<III", 0x0501, 2, len(name)) + name + struct.pack("<II", 0, 0)
            + struct.pack("<I", len(native)) + native)


def rtf_with_object(text: str, objdata: bytes) -> bytes:
    """An RTF document with ``text`` and one embedded object holding ``objdata``."""
    hexed = objdata.hex()
    lines = "\n".join(hexed[at:at + 128] for at in range(0, len(hexed), 128))
    return (r"{\rtf1\ansi\deff0 {\fonttbl{\f0 Arial;}}" + "\n" + text + r"\par"
            + r"{\object\objemb{\*\objclass Package}\objw1\objh1{\*\objdata" + "\n" + lines
            + "}}}").encode("ascii")
