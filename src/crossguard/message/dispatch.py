"""Route each leaf to its extractor by content type, file name and magic bytes."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import PurePosixPath

from crossguard.message.charset import wide_encoding
from crossguard.message.context import Leaf, ParseContext
from crossguard.message.extract import (
    archive,
    cards,
    embedded,
    html,
    legacy_office,
    office,
    ole,
    pdf,
    plain,
    rtf,
    sevenzip,
    signature,
    structured,
    tarball,
    tnef,
)
from crossguard.message.extract.properties import image_properties
from crossguard.message.model import Part
from crossguard.message.outlook import OLE_MAGIC, extract_outlook

Extractor = Callable[[Leaf, ParseContext], str]

_OFFICE_EXT = frozenset(
    {".docx", ".docm", ".xlsx", ".xlsm", ".pptx", ".pptm", ".odt", ".ods", ".odp"}
)
_OFFICE_TYPES = ("application/vnd.openxmlformats-officedocument.", "application/vnd.oasis.")
_ZIP_TYPES = frozenset({"application/zip", "application/x-zip-compressed", "application/x-zip"})
_IMAGE_EXT = frozenset(
    {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic", ".heif"}
)
#: The first bytes of the image formats read: JPEG, PNG, GIF, TIFF (both byte orders). A BMP
#: and a WebP are told by more than their first bytes: text can start with "BM" or "RIFF".
_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"II*\x00",
                b"MM\x00*")
_HTML_EXT = frozenset({".html", ".htm", ".xhtml"})
_XML_EXT = frozenset({".xml"})
_TEXT_EXT = frozenset({".txt", ".csv", ".tsv", ".json", ".log", ".md", ".vcf", ".ics"})
_TEXT_TYPES = frozenset(
    {"application/json", "application/csv", "application/x-csv", "application/x-ndjson"}
)
_XML_TYPES = frozenset({"application/xml", "text/xml"})
_CARD_EXT = frozenset({".vcf", ".vcard", ".ics", ".ifb", ".vcs"})
_CARD_TYPES = frozenset({"text/vcard", "text/x-vcard", "text/directory", "text/calendar"})
_COMPRESSED_EXT = frozenset({".gz", ".tgz", ".bz2", ".tbz", ".tbz2", ".xz", ".txz"})
_COMPRESSED_TYPES = frozenset({
    "application/gzip", "application/x-gzip", "application/x-bzip2", "application/x-xz",
    "application/x-compressed-tar", "application/x-gtar",
})
_TNEF_TYPES = frozenset({"application/ms-tnef", "application/vnd.ms-tnef"})
_SNIFF_BYTES = 4096
_ENCRYPTED_TYPES = frozenset({"application/pgp-encrypted"})
#: Encodings of a file no reader here undoes (BinHex 4.0): their characters are not its text.
_UNREAD_ENCODINGS = frozenset({"application/mac-binhex40", "application/mac-binhex"})


def classify(leaf: Leaf) -> str:
    """The extractor name for a leaf: declared type first, then extension, then magic."""
    ctype = leaf.content_type
    ext = PurePosixPath(leaf.filename or "").suffix.lower()
    head = leaf.data[:8]
    if ctype in signature.SMIME_TYPES or ext == ".p7m":
        return "smime"
    if ctype in _ENCRYPTED_TYPES or ext in (".pgp", ".gpg"):
        return "encrypted"
    if ctype in signature.SIGNATURE_TYPES or ext == ".p7s":
        return "signature"
    if ctype in _UNREAD_ENCODINGS or ext == ".hqx":
        return "binary"
    if ctype in ("message/rfc822", "message/global") or ext == ".eml":
        return "rfc822"
    if head.startswith(OLE_MAGIC):  # told by its streams, whatever its name
        return ole.ole_kind(leaf.data) or "binary"
    if ctype == "application/pdf" or ext == ".pdf" or head.startswith(b"%PDF-"):
        return "pdf"
    if ctype in _TNEF_TYPES or head.startswith(tnef.MAGIC):
        return "tnef"
    if ctype in rtf.TYPES or ext == ".rtf" or head.startswith(rtf.MAGIC):
        return "rtf"
    if ext == ".7z" or ctype == "application/x-7z-compressed" or head.startswith(sevenzip.MAGIC):
        return "7z"
    if tarball.compression(head) is not None or (
        (ext in _COMPRESSED_EXT or ctype in _COMPRESSED_TYPES) and not head.startswith(b"PK")
    ):
        return "compressed"
    if ext == ".tar" or ctype == "application/x-tar" or tarball.is_tar(leaf.data):
        return "tar"
    if ctype in _CARD_TYPES or ext in _CARD_EXT or cards.is_card(leaf.data[:32].decode("latin-1")):
        return "card"
    if ext in _OFFICE_EXT or ctype.startswith(_OFFICE_TYPES):
        return "office"
    if ctype in _ZIP_TYPES or ext == ".zip" or head.startswith(b"PK\x03\x04"):
        return "zip"
    if ctype == "image/svg+xml" or ext == ".svg":  # an image, but drawn from XML text
        return "svg"
    if _image_magic(leaf.data[:12]):
        return "image"
    if ctype.startswith("image/") or ext in _IMAGE_EXT:  # named an image: is it text?
        return "text" if _looks_textual(leaf.data) else "image"
    if ctype == "text/html" or ext in _HTML_EXT:
        return "html"
    if ctype in _XML_TYPES or ext in _XML_EXT:
        return "xml"
    if ctype.startswith(("text/", "multipart/")) or ext in _TEXT_EXT or ctype in _TEXT_TYPES:
        return "text"
    if _looks_textual(leaf.data):
        return "text"
    return "binary"


def _image_magic(head: bytes) -> bool:
    """True when ``head`` (a part's first 12 bytes) opens an image file: a BMP's reserved
    bytes are zero, a RIFF file is a WebP."""
    return (head.startswith(_IMAGE_MAGIC) or (head[:2] == b"BM" and head[6:10] == bytes(4))
            or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"))


def _looks_textual(data: bytes) -> bool:
    """True for data that reads as UTF-8 text without control bytes, or as UTF-16/32 text."""
    sample = data[:_SNIFF_BYTES]
    if wide_encoding(sample) is not None:
        return True
    if not sample or b"\x00" in sample:
        return not sample
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(sample) - 4:
            return False
    return True


def read_leaf(ctx: ParseContext, leaf: Leaf) -> None:
    """Turn a leaf into a Part with its text, or open it as a container of more parts."""
    if ctx.too_deep(leaf.depth, leaf.path):
        return
    part = Part(
        path=leaf.path,
        content_type=leaf.content_type,
        filename=leaf.filename,
        data=leaf.data,
        is_attachment=leaf.is_attachment,
    )
    if not ctx.add_part(part):
        return
    limit = ctx.limits.max_part_bytes
    if len(leaf.data) > limit:
        ctx.note("limit_part_size", leaf.path, f"part is over max_part_bytes={limit}; not read")
        return
    kind = classify(leaf)
    try:
        if kind == "image":
            ctx.add_field(f"{leaf.path}/properties", image_properties(leaf.data))
            _read_image(ctx, leaf, part)
            return
        if kind == "encrypted":
            ctx.note("encrypted_content", leaf.path, "encrypted content cannot be read")
            return
        extractor = _EXTRACTORS.get(kind)
        if extractor is None:
            shown = leaf.content_type[:60]
            ctx.note("unsupported_type", leaf.path, f"no text extractor for {shown}")
            return
        text = extractor(leaf, ctx)
    except RecursionError:
        ctx.note("limit_depth", leaf.path, "content nested too deeply to read")
        return
    except Exception as error:  # an extractor bug must not drop the message
        ctx.note("internal_error", leaf.path, f"{kind} extractor failed: {type(error).__name__}")
        return
    _set_text(ctx, part, text)


def _set_text(ctx: ParseContext, part: Part, text: str) -> None:
    """Store extracted text, cut at ``max_text_chars`` (noted)."""
    limit = ctx.limits.max_text_chars
    if len(text) > limit:
        ctx.note("limit_text", part.path, f"text is over max_text_chars={limit}; cut")
        text = text[:limit]
    part.text = text


def _read_image(ctx: ParseContext, leaf: Leaf, part: Part) -> None:
    """Hand an image to the image reader when image reading is configured."""
    settings = ctx.images
    if settings is None or not settings.enabled:
        ctx.note("image_skipped", leaf.path, "image reading is not enabled")
        return
    if ctx.image_seconds >= settings.per_message_seconds:
        ctx.note(
            "limit_image_time",
            leaf.path,
            f"images took over per_message_seconds={settings.per_message_seconds}; not read",
        )
        return
    started = time.perf_counter()
    from crossguard.message.images import read_image  # Pillow, zxing, Tesseract: load on use

    text, documents = read_image(
        leaf.data, settings, lambda kind, reason: ctx.note(kind, leaf.path, reason)
    )
    ctx.image_seconds += time.perf_counter() - started
    part.documents.extend(documents)
    _set_text(ctx, part, text)


def _read_rfc822(leaf: Leaf, ctx: ParseContext) -> str:
    """A nested message: its parts follow under ``<path>/message/``."""
    ctx.read_mime(leaf.data, f"{leaf.path}/message/", leaf.depth + 1)
    return ""


_EXTRACTORS: dict[str, Extractor] = {
    "rfc822": _read_rfc822,
    "outlook": extract_outlook,
    "pdf": pdf.extract_pdf,
    "office": office.extract_office,
    "doc": legacy_office.extract_doc,
    "xls": legacy_office.extract_xls,
    "package": embedded.extract_package,
    "zip": archive.extract_zip,
    "html": html.extract_html,
    "xml": structured.extract_xml,
    "svg": structured.extract_svg,
    "signature": signature.extract_signature,
    "smime": signature.extract_smime,
    "compressed": tarball.extract_compressed,
    "tar": tarball.extract_tar,
    "7z": sevenzip.extract_7z,
    "tnef": tnef.extract_tnef,
    "rtf": rtf.extract_rtf,
    "card": cards.extract_card,
    "text": plain.extract_plain,
}
