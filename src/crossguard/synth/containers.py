"""Containers and formats built by hand: tar, gzip/bzip2/xz, 7z, TNEF, vCard, iCalendar,
and documents carrying text in their properties (PDF info, docProps, EXIF)."""

from __future__ import annotations

import binascii
import bz2
import gzip
import lzma
import struct
import tarfile
from collections.abc import Callable
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from crossguard.synth import documents


def tar_bytes(members: dict[str, bytes], mode: str = "w") -> bytes:
    """A tar archive (``mode`` ``w``, ``w:gz``, ``w:bz2`` or ``w:xz``)."""
    buffer = BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode) as archive:  # type: ignore[call-overload]
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, BytesIO(data))
    return buffer.getvalue()


COMPRESS = {"gz": gzip.compress, "bz2": bz2.compress, "xz": lzma.compress}


def seven_zip(members: dict[str, bytes], password: str | None = None) -> bytes:
    """A 7z archive (py7zr); ``password`` encrypts it, headers included."""
    import py7zr

    buffer = BytesIO()
    with py7zr.SevenZipFile(buffer, "w", password=password) as archive:
        if password:
            archive.set_encrypted_header(True)
        for name, data in members.items():
            archive.writestr(data, name)
    return buffer.getvalue()


def tnef_attribute(level: int, kind: int, ident: int, data: bytes) -> bytes:
    """One TNEF attribute: level, type and id, length, data, checksum."""
    checksum = sum(data) & 0xFFFF
    return struct.pack("<BIi", level, (kind << 16) | ident, len(data)) + data + struct.pack(
        "<H", checksum
    )


def tnef(body: str, attachments: dict[str, bytes], rtf: bytes = b"") -> bytes:
    """A minimal TNEF stream (MS-OXTNEF): a plain body (none when empty), named attachments,
    and an RTF body as Outlook's Rich Text format sends it (compressed, in the message's
    MAPI properties)."""
    out = struct.pack("<IH", 0x223E9F78, 0x0001)
    out += tnef_attribute(1, 0x0009, 0x9006, struct.pack("<I", 0x00010000))  # attTnefVersion
    if body:
        out += tnef_attribute(1, 0x0002, 0x800C, body.encode("cp1252") + b"\x00")  # attBody
    if rtf:
        out += tnef_attribute(1, 0x0006, 0x9003, _rtf_property(rtf))  # attMsgProps
    for name, data in attachments.items():
        out += tnef_attribute(2, 0x0006, 0x9002, bytes(14))  # attAttachRendData
        out += tnef_attribute(2, 0x0001, 0x8010, name.encode("cp1252") + b"\x00")  # title
        out += tnef_attribute(2, 0x0006, 0x800F, data)  # attAttachData
    return out


def rtf(text: str) -> bytes:
    """An RTF document as Word writes one: each line a paragraph split into two formatting
    runs; ``\\`` and braces escaped, other than ASCII as signed UTF-16 units (``\\uN?``)."""
    def escaped(run: str) -> str:
        run = run.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")
        return "".join(c if c.isascii() else "".join(
            f"\\u{unit - (unit > 32767) * 65536}?"
            for (unit,) in struct.iter_unpack("<H", c.encode("utf-16-le"))) for c in run)

    paragraphs = []
    for number, line in enumerate(text.splitlines()):
        half = len(line) // 2
        paragraphs.append(f"\\pard{{\\insrsid{number}1 {escaped(line[:half])}}}"
                          f"{{\\insrsid{number}2 {escaped(line[half:])}}}\\par\n")
    return ("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Calibri;}}\n"
            + "".join(paragraphs) + "}").encode("ascii")


def _rtf_property(rtf: bytes) -> bytes:
    """One MAPI property, PR_RTF_COMPRESSED (binary, 0x1009): ``rtf`` compressed."""
    from compressed_rtf import compress

    blob: bytes = compress(rtf, compressed=True)
    return (struct.pack("<IHHII", 1, 0x0102, 0x1009, 1, len(blob)) + blob
            + bytes(-len(blob) % 4))


def smime_signed(text: str) -> bytes:
    """An opaque-signed S/MIME entity (the body of an ``smime.p7m``, DER): a text/plain
    message wrapped in signed data, signed by a fresh self-signed certificate."""
    from datetime import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import Encoding, pkcs7
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Care Team")])
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(datetime(2026, 1, 1)).not_valid_after(datetime(2027, 1, 1))
                   .sign(key, hashes.SHA256()))
    wrapped = f"Content-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n".encode()
    return (pkcs7.PKCS7SignatureBuilder().set_data(wrapped)
            .add_signer(certificate, key, hashes.SHA256()).sign(Encoding.DER, []))


def uuencoded(name: str, data: bytes) -> str:
    """``data`` as ``uuencode`` writes it into a mail body: 45 bytes a line."""
    lines = "".join(binascii.b2a_uu(data[at:at + 45]).decode() for at in range(0, len(data), 45))
    return f"begin 644 {name}\n{lines}`\nend\n"


def vcard(name: str, phone: str, street: str = "") -> bytes:
    """A vCard 3.0 with the structured name, a folded address line and a phone."""
    given, family = name.split(" ", 1)
    lines = [
        "BEGIN:VCARD", "VERSION:3.0", f"FN:{name}", f"N:{family};{given};;;",
        f"TEL;TYPE=cell:{phone}",
    ]
    if street:
        lines.append(f"ADR;TYPE=home:;;{street[:10]}\r\n {street[10:]};;;;")
    lines.append("END:VCARD")
    return ("\r\n".join(lines) + "\r\n").encode()


def icalendar(summary: str, description: str) -> bytes:
    """An iCalendar event whose summary and (escaped) description carry text."""
    text = description.replace(",", "\\,").replace("\n", "\\n")
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:1@x.test\r\n"
        f"SUMMARY:{summary}\r\nDESCRIPTION:{text}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


def pdf_with_info(title: str, author: str) -> bytes:
    """A one-page PDF whose document info holds ``title`` and ``author``."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(BytesIO(documents.pdf([["Statement"]]))))
    writer.add_metadata({"/Title": title, "/Author": author})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_xfa(values: dict[str, str]) -> bytes:
    """A one-page PDF whose dynamic (XFA) form holds ``values`` in its datasets packet."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    fields = "".join(f"<{name}>{escape(value)}</{name}>" for name, value in values.items())
    packet = ('<xfa:datasets xmlns:xfa="http://www.xfa.org/schema/xfa-data/1.0/"><xfa:data>'
              f"<form1>{fields}</form1></xfa:data></xfa:datasets>")

    def place(writer: Any, stream: Any) -> None:
        writer._root_object[NameObject("/AcroForm")] = DictionaryObject({
            NameObject("/Fields"): ArrayObject(),
            NameObject("/XFA"): ArrayObject([TextStringObject("datasets"), stream])})

    return _pdf_with_stream(packet.encode(), place)


def pdf_with_xmp(creator: str) -> bytes:
    """A one-page PDF whose XMP metadata names ``creator`` (its document info does not)."""
    from pypdf.generic import NameObject

    packet = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
              'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
              'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq>'
              f"<rdf:li>{escape(creator)}</rdf:li></rdf:Seq></dc:creator></rdf:Description>"
              "</rdf:RDF></x:xmpmeta>")

    def place(writer: Any, stream: Any) -> None:
        writer._root_object[NameObject("/Metadata")] = stream

    return _pdf_with_stream(packet.encode(), place)


def _pdf_with_stream(data: bytes, place: Callable[[Any, Any], None]) -> bytes:
    """A one-page PDF with a stream of ``data`` that ``place`` puts in the document."""
    from pypdf import PdfWriter
    from pypdf.generic import StreamObject

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    stream = StreamObject()
    stream.set_data(data)
    place(writer, writer._add_object(stream))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_with_properties(title: str, creator: str) -> bytes:
    """A DOCX whose docProps/core.xml holds ``title`` and ``creator``."""
    core = (
        "<cp:coreProperties xmlns:cp='http://schemas.openxmlformats.org/package/2006/metadata/"
        "core-properties' xmlns:dc='http://purl.org/dc/elements/1.1/'>"
        f"<dc:title>{title}</dc:title><dc:creator>{creator}</dc:creator></cp:coreProperties>"
    ).encode()
    return documents.zip_bytes({
        "[Content_Types].xml": b"<Types/>",
        "word/document.xml": documents.docx_xml(["Nothing here"]),
        "docProps/core.xml": core,
    })


def jpeg_with_exif(description: str) -> bytes:
    """A small JPEG whose EXIF ImageDescription is ``description``."""
    from PIL import Image

    image = Image.new("RGB", (16, 16), "white")
    exif = Image.Exif()
    exif[0x010E] = description
    out = BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()
