"""The upload form in memory: multipart parsing under a byte cap, type by content, image limits.

Nothing here touches the disk: the body is read into memory up to the cap
(beyond it the rest is drained and dropped), parsed with the standard library,
and the file is checked by its bytes, never by its name or declared type.
Images go through the ID-image pipeline's decoder with its limits (pixel count,
Pillow's decompression-bomb guard); PDFs must open and stay within the page limit.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser

from pypdf import PdfReader

from crossguard.message.extract import pdf as _pdf  # noqa: F401  (keeps pypdf's log quiet)
from crossguard.message.images.decode import ImageRejected, decode_image
from crossguard.message.settings import ImageSettings, ParseLimits

#: Form overhead allowed on top of the file's own size limit.
FORM_OVERHEAD = 64 * 1024
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1")


class UploadRefused(Exception):
    """An upload that is not kept; ``kind`` names the page the customer sees."""

    def __init__(self, kind: str, status: int) -> None:
        super().__init__(kind)
        self.kind = kind
        self.status = status


@dataclass(frozen=True, slots=True)
class UploadForm:
    """The fields of a submitted upload form."""

    csrf: str
    address: str
    data: bytes


def sniff(data: bytes) -> str | None:
    """The document type by content: jpeg, png, heic or pdf; None for anything else."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return "heic"
    if data.startswith(b"%PDF-"):
        return "pdf"
    return None


async def read_body(chunks: AsyncIterator[bytes], limit: int) -> bytes:
    """The request body, or UploadRefused("too_large") once it passes ``limit`` bytes.

    The rest of an oversize body is read and dropped (never kept) so that the
    browser gets the refusal page rather than a reset connection.
    """
    parts: list[bytes] = []
    size = 0
    async for chunk in chunks:
        size += len(chunk)
        if size > limit:
            parts.clear()
            async for _rest in chunks:
                pass
            raise UploadRefused("too_large", 413)
        parts.append(chunk)
    return b"".join(parts)


def parse_form(content_type: str, body: bytes) -> UploadForm:
    """The csrf, address and document fields of a multipart/form-data body."""
    if not content_type.lower().startswith("multipart/form-data"):
        raise UploadRefused("bad_form", 400)
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
    fields: dict[str, bytes] = {}
    for part in message.iter_parts() if message.is_multipart() else ():
        name = part.get_param("name", header="content-disposition")
        if isinstance(name, str) and name not in fields:
            payload = part.get_payload(decode=True)
            fields[name] = payload if isinstance(payload, bytes) else b""
    data = fields.get("document", b"")
    if not data:
        raise UploadRefused("no_file", 400)
    return UploadForm(fields.get("csrf", b"").decode("ascii", "replace"),
                      fields.get("address", b"").decode("ascii", "replace"), data)


def check_document(data: bytes, images: ImageSettings, limits: ParseLimits) -> str:
    """The document's type once it passes every limit; UploadRefused otherwise."""
    kind = sniff(data)
    if kind is None:
        raise UploadRefused("wrong_type", 415)
    if kind == "pdf":
        _check_pdf(data, limits)
        return kind
    try:
        decode_image(data, images)
    except ImageRejected as rejected:
        if rejected.kind in ("image_bomb", "image_too_large"):
            raise UploadRefused("bomb", 422) from None
        raise UploadRefused("unreadable", 422) from None
    return kind


def _check_pdf(data: bytes, limits: ParseLimits) -> None:
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = len(reader.pages)
    except Exception:
        raise UploadRefused("unreadable", 422) from None
    if pages == 0 or pages > min(limits.max_pdf_pages, 20):
        raise UploadRefused("unreadable", 422)
