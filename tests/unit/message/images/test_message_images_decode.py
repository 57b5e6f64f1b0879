"""Image decoding: formats, EXIF orientation, size limits and bombs, garbage bytes."""

from __future__ import annotations

import io
import struct
import warnings
import zlib
from collections.abc import Callable

import numpy as np
import pillow_heif
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from crossguard.core.finding import Finding
from crossguard.detect.documents import document_findings
from crossguard.message.images import read_image
from crossguard.message.images.decode import ImageRejected, decode_image
from crossguard.message.settings import ImageSettings
from crossguard.synth.idimages import Holder, licence_back


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` x ``height`` pixels with almost no data: a bomb."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _read(data: bytes, settings: ImageSettings) -> tuple[str, list[Finding], list[tuple[str, str]]]:
    notes: list[tuple[str, str]] = []
    text, documents = read_image(data, settings, lambda k, r: notes.append((k, r)))
    findings = [f for document in documents for f in document_findings(document, "2/attachment:x")]
    return text, findings, notes


def test_decompression_bomb_is_a_note(image_settings: ImageSettings) -> None:
    text, findings, notes = _read(_png_header_only(60_000, 60_000), image_settings)
    assert (text, findings) == ("", [])
    assert [kind for kind, _ in notes] == ["image_bomb"]


def test_hundred_megapixel_image_is_a_note(
    image_settings: ImageSettings, encode: Callable[..., bytes]
) -> None:
    huge = encode(Image.new("1", (10_000, 10_000), 1), "PNG")
    assert len(huge) < image_settings.max_image_bytes  # small file, 100 Mpx: only pixels stop it
    text, findings, notes = _read(huge, image_settings)
    assert (text, findings) == ("", [])
    assert notes == [("image_too_large", "image of 10000x10000 pixels is over max_pixels")]


def test_encoded_size_limit(encode: Callable[..., bytes]) -> None:
    data = encode(Image.new("L", (64, 64), 128), "PNG")
    with pytest.raises(ImageRejected) as rejected:
        decode_image(data, ImageSettings(max_image_bytes=len(data) - 1))
    assert rejected.value.kind == "image_too_large"


def test_timeout_is_a_note_never_a_silent_pass(
    holder: Holder, encode: Callable[..., bytes]
) -> None:
    data = encode(licence_back(holder).rotate(4, expand=True, fillcolor="white"), "JPEG")
    _, findings, notes = _read(data, ImageSettings(per_image_seconds=1e-9))
    assert findings == []
    assert [kind for kind, _ in notes] == ["image_timeout"]


@pytest.mark.parametrize(
    ("fmt", "options"),
    [("PNG", {}), ("JPEG", {"quality": 80}), ("GIF", {}), ("TIFF", {}), ("WEBP", {"quality": 90})],
)
def test_formats_decode_to_the_same_licence(
    holder: Holder, encode: Callable[..., bytes], fmt: str, options: dict[str, object]
) -> None:
    data = encode(licence_back(holder), fmt, **options)
    _, findings, notes = _read(data, ImageSettings(ocr=False))
    assert notes == []
    assert ("DRIVER_LICENCE", holder.licence) in {(f.kind, f.value) for f in findings}


def test_heic_decodes_with_pillow_heif(holder: Holder) -> None:
    out = io.BytesIO()
    pillow_heif.from_pillow(licence_back(holder)).save(out, format="HEIF", quality=90)
    assert out.getvalue()[4:12] == b"ftypheic"
    _, findings, notes = _read(out.getvalue(), ImageSettings(ocr=False))
    assert notes == []
    assert ("DRIVER_LICENCE", holder.licence) in {(f.kind, f.value) for f in findings}


def test_exif_orientation_is_applied(holder: Holder, encode: Callable[..., bytes]) -> None:
    upright = licence_back(holder)
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # sideways on disk
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    data = encode(stored, "JPEG", quality=95, exif=exif.tobytes())
    decoded = decode_image(data, ImageSettings())
    assert decoded.size == upright.size
    difference = np.abs(
        np.asarray(decoded.convert("L"), dtype=np.int16)
        - np.asarray(upright.convert("L"), dtype=np.int16)
    )
    assert difference.mean() < 8


def test_unsupported_format_is_a_note(encode: Callable[..., bytes]) -> None:
    _, _, notes = _read(encode(Image.new("RGB", (32, 32)), "BMP"), ImageSettings())
    assert [kind for kind, _ in notes] == ["image_unreadable"]


def test_truncated_image_is_a_note(holder: Holder, encode: Callable[..., bytes]) -> None:
    data = encode(licence_back(holder), "PNG")
    text, findings, notes = _read(data[: len(data) // 2], ImageSettings())
    assert (text, findings) == ("", [])
    assert [kind for kind, _ in notes] == ["image_unreadable"]


_PREFIXES = [
    b"",
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff\xe0",
    b"GIF89a",
    b"II*\x00",
    b"RIFF\x00\x00\x00\x00WEBP",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(_PREFIXES), body=st.binary(max_size=2048))
def test_read_image_never_raises_on_garbage(prefix: bytes, body: bytes) -> None:
    notes: list[tuple[str, str]] = []
    text, documents = read_image(
        prefix + body, ImageSettings(ocr=False), lambda k, r: notes.append((k, r))
    )
    findings = [f for document in documents for f in document_findings(document, "p")]
    assert isinstance(text, str)
    assert findings == [] or all(f.kind for f in findings)
    assert all(kind.startswith("image_") for kind, _ in notes)


#: A TIFF header whose first EXIF entry is cut short (found by test_mime_token_soup).
CORRUPT_EXIF = b"II*\x00\x08\x00\x00\x00 \x82<\xfd\xe6\xf1\xc2k0\xf9\x0e\xc7"


def test_corrupt_exif_is_skipped_and_the_pixels_are_read() -> None:
    """Pillow warns and skips a corrupt EXIF block; the suite turns warnings into errors,
    so a warning escaping here would reject the image (and leave a warning in the log)."""
    from crossguard.message.extract.properties import image_properties

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG", exif=CORRUPT_EXIF)
    assert decode_image(buffer.getvalue(), ImageSettings()).size == (8, 8)
    assert image_properties(buffer.getvalue()) == ""
    assert image_properties(CORRUPT_EXIF) == ""


def test_properties_are_read_only_from_the_image_formats() -> None:
    """Found by test_mutated_valid_messages: Pillow opened an IM file (a format it
    deprecates, with a DeprecationWarning: an error in this suite) for its EXIF. Only
    the formats images are read in are opened; the XMP scan still reads any bytes."""
    from crossguard.message.extract.properties import image_properties

    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # saving an IM file warns as well
        Image.new("L", (2, 2)).save(buffer, "IM")
    xmp = b"<x:xmpmeta><rdf:li>Jane Q. Smith</rdf:li></x:xmpmeta>"
    assert image_properties(buffer.getvalue()) == ""
    assert image_properties(buffer.getvalue() + xmp) == "Jane Q. Smith"
