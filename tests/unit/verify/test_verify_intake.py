"""Upload intake: multipart in memory, types by content, size cap, image bombs, PDFs."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator

import pytest
from PIL import Image

from crossguard.message.settings import ImageSettings, ParseLimits
from crossguard.verify.intake import UploadRefused, check_document, parse_form, read_body, sniff

BOUNDARY = "----cgboundary"


def jpeg(size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 20, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def form(fields: dict[str, bytes], filename: str = "id.jpg") -> tuple[str, bytes]:
    body = b""
    for name, value in fields.items():
        disposition = f'form-data; name="{name}"'
        if name == "document":
            disposition += f'; filename="{filename}"'
        body += (f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n"
                 "Content-Type: application/octet-stream\r\n\r\n").encode() + value + b"\r\n"
    return f"multipart/form-data; boundary={BOUNDARY}", body + f"--{BOUNDARY}--\r\n".encode()


def test_sniff_by_content_not_name() -> None:
    assert sniff(jpeg()) == "jpeg"
    png = io.BytesIO()
    Image.new("L", (4, 4)).save(png, "PNG")
    assert sniff(png.getvalue()) == "png"
    assert sniff(b"\0\0\0\x18ftypheic\0\0\0\0") == "heic"
    assert sniff(b"%PDF-1.7\n") == "pdf"
    assert sniff(b"MZ\x90\0") is None and sniff(b"GIF89a") is None and sniff(b"") is None


def test_parse_form_keeps_binary_bytes_exactly() -> None:
    data = jpeg() + bytes(range(256)) + b"\r\n--not-a-boundary\r\n"
    content_type, body = form({"csrf": b"tok", "address": b"yes", "document": data})
    parsed = parse_form(content_type, body)
    assert (parsed.csrf, parsed.address, parsed.data) == ("tok", "yes", data)


@pytest.mark.parametrize(("content_type", "fields", "kind"), [
    ("application/x-www-form-urlencoded", {}, "bad_form"),
    (None, {"csrf": b"tok"}, "no_file"),
    (None, {"csrf": b"tok", "document": b""}, "no_file"),
])
def test_parse_form_refusals(content_type: str | None, fields: dict[str, bytes],
                             kind: str) -> None:
    default_type, body = form(fields)
    with pytest.raises(UploadRefused) as refused:
        parse_form(content_type or default_type, body)
    assert refused.value.kind == kind


def test_read_body_stops_at_the_cap_and_drains_the_rest() -> None:
    consumed = []

    async def chunks() -> AsyncIterator[bytes]:
        for number in range(10):
            consumed.append(number)
            yield b"x" * 1000

    assert len(asyncio.run(read_body(chunks(), 10_000))) == 10_000
    consumed.clear()
    with pytest.raises(UploadRefused) as refused:
        asyncio.run(read_body(chunks(), 5_500))
    assert (refused.value.kind, refused.value.status) == ("too_large", 413)
    assert consumed == list(range(10))  # drained, so the browser gets the page


def test_check_document_types_and_limits() -> None:
    images, limits = ImageSettings(), ParseLimits()
    assert check_document(jpeg(), images, limits) == "jpeg"
    with pytest.raises(UploadRefused) as wrong:
        check_document(b"MZ\x90\0" + b"\0" * 100, images, limits)
    assert (wrong.value.kind, wrong.value.status) == ("wrong_type", 415)
    with pytest.raises(UploadRefused) as big:
        check_document(jpeg((400, 300)), ImageSettings(max_pixels=100_000), limits)
    assert big.value.kind == "bomb"
    with pytest.raises(UploadRefused) as broken:
        check_document(jpeg()[:40], images, limits)
    assert broken.value.kind == "unreadable"
    with pytest.raises(UploadRefused) as pdf:
        check_document(b"%PDF-1.4\nnot really a pdf", images, limits)
    assert pdf.value.kind == "unreadable"


def test_a_real_pdf_passes() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (200, 100), "white").save(buffer, "PDF")
    assert check_document(buffer.getvalue(), ImageSettings(), ParseLimits()) == "pdf"
