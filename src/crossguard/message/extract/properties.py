"""Document properties as text: office docProps / ODF meta.xml, PDF info, image EXIF/XMP.

Each is the field ``<part path>/properties`` (one value a line), read like body
text: a title, author, subject, keywords or description can carry an
identifier as well as the document does.
"""

from __future__ import annotations

import re
import struct
import warnings
import xml.etree.ElementTree as ElementTree
from io import BytesIO
from typing import Any

OFFICE_PROPERTIES = ("docProps/core.xml", "docProps/app.xml", "docProps/custom.xml", "meta.xml")
_PDF_KEYS = ("/Title", "/Author", "/Subject", "/Keywords", "/Creator", "/Producer")
# EXIF text tags: ImageDescription, Make, Model, Artist, Copyright; Exif IFD UserComment;
# Windows XPTitle, XPComment, XPAuthor, XPKeywords, XPSubject (UTF-16LE).
_EXIF_TAGS = (0x010E, 0x013B, 0x8298)
_EXIF_IFD_TAGS = (0x9286,)
_XP_TAGS = (0x9C9B, 0x9C9C, 0x9C9D, 0x9C9E, 0x9C9F)
_XMP = re.compile(rb"<x:xmpmeta.*?</x:xmpmeta>", re.S)
_XML_TEXT = re.compile(r">([^<>]+)<")
_XML_ATTR = re.compile(r'="([^"]*)"')
_MAX_XMP = 1 << 20


def xml_values(xml: bytes) -> str:
    """Every text node of a small XML document, one a line (nothing for broken XML)."""
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError:
        return ""
    return "\n".join(text.strip() for text in root.itertext() if text.strip())


def pdf_info(metadata: Any) -> str:
    """The document-info values of a pypdf reader's ``metadata``."""
    try:
        values = [str(metadata.get(key) or "") for key in _PDF_KEYS] if metadata else []
    except Exception:  # pypdf resolves info objects lazily and raises many types
        return ""
    return "\n".join(value.strip() for value in values if value.strip())


def image_properties(data: bytes) -> str:
    """The EXIF text tags and the XMP packet's text of an image (Pillow reads headers only).

    Pillow opens only the formats images are read in (JPEG, PNG, TIFF, GIF, WebP,
    HEIF): not the others it knows, some of them deprecated, none of them a photo's.
    """
    from PIL import Image, UnidentifiedImageError  # loaded on the first image

    from crossguard.message.images.decode import readable_formats

    lines: list[str] = []
    try:
        with warnings.catch_warnings():
            # Pillow warns of corrupt EXIF and skips the tags it cannot read: the rest count.
            warnings.filterwarnings("ignore", category=UserWarning, module="PIL")
            with Image.open(BytesIO(data), formats=readable_formats()) as image:
                exif = image.getexif()
                values = [exif.get(tag) for tag in (*_EXIF_TAGS, *_XP_TAGS)]
                values += [exif.get_ifd(0x8769).get(tag) for tag in _EXIF_IFD_TAGS]
                lines += [_tag_text(value) for value in values if value]
                for key in ("comment", "Description", "Comment", "Title", "Author"):
                    if isinstance(image.info.get(key), str | bytes):
                        lines.append(_tag_text(image.info[key]))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, struct.error):
        pass
    packet = _XMP.search(data[: _MAX_XMP * 4])
    if packet:
        xmp = packet.group().decode("utf-8", "replace")
        lines += [text.strip() for text in _XML_TEXT.findall(xmp) if text.strip()]
        lines += [text for text in _XML_ATTR.findall(xmp) if " " in text]
    return "\n".join(line for line in lines if line)


def _tag_text(value: Any) -> str:
    if isinstance(value, bytes):
        raw = value[8:] if value[:8] in (b"ASCII\x00\x00\x00", b"UNICODE\x00") else value
        if value[:8] == b"UNICODE\x00" or (len(raw) > 1 and raw[1:2] == b"\x00"):
            return raw.decode("utf-16-le", "replace").replace("\x00", "").strip()
        return raw.decode("utf-8", "replace").replace("\x00", "").strip()
    if isinstance(value, tuple):  # XP tags read as a tuple of byte values
        return bytes(value).decode("utf-16-le", "replace").replace("\x00", "").strip()
    return str(value).replace("\x00", "").strip()
