"""Encoded image bytes to one upright Pillow image, within size limits.

Formats: JPEG, PNG, TIFF, GIF, WebP through Pillow; HEIC/HEIF through
pillow-heif when it is installed. Anything too big, truncated or of another
format is an :class:`ImageRejected` carrying a parse-note kind.
"""

from __future__ import annotations

import functools
import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from crossguard.message.settings import ImageSettings

FORMATS = ("JPEG", "PNG", "TIFF", "GIF", "WEBP", "HEIF")
_HEIF_MAGIC = (b"ftypheic", b"ftypheix", b"ftyphevc", b"ftypmif1", b"ftypmsf1", b"ftypheim")


class ImageRejected(Exception):
    """An image that is not read; ``kind`` is the parse-note kind, ``reason`` says why."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


def readable_formats() -> list[str]:
    """The :data:`FORMATS` this Pillow opens (HEIF once pillow-heif is registered)."""
    Image.init()
    return [name for name in FORMATS if name in Image.OPEN]


@functools.cache
def _register_heif() -> bool:
    """Teach Pillow HEIC/HEIF if pillow-heif is installed (once)."""
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        return False
    register_heif_opener()
    return True


def decode_image(data: bytes, settings: ImageSettings) -> Image.Image:
    """Decode ``data`` to an RGB or L image with EXIF orientation applied."""
    if len(data) > settings.max_image_bytes:
        raise ImageRejected(
            "image_too_large", f"encoded image of {len(data)} bytes is over max_image_bytes"
        )
    if not _register_heif() and data[4:12] in _HEIF_MAGIC:
        raise ImageRejected("image_unsupported", "HEIC/HEIF image and pillow-heif is not installed")
    formats = readable_formats()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        # Pillow warns of corrupt EXIF and skips it: the pixels are still read.
        warnings.filterwarnings("ignore", category=UserWarning, module="PIL")
        try:
            image = Image.open(io.BytesIO(data), formats=formats)
        except Image.DecompressionBombError:
            raise ImageRejected(
                "image_bomb", "image dimensions exceed Pillow's bomb limit"
            ) from None
        except UnidentifiedImageError:
            raise ImageRejected(
                "image_unreadable", "not a JPEG, PNG, TIFF, GIF, WebP or HEIC image"
            ) from None
        except Exception as error:
            raise ImageRejected(
                "image_unreadable", f"cannot open image ({type(error).__name__})"
            ) from None
        width, height = image.size
        if width * height > settings.max_pixels:
            raise ImageRejected(
                "image_too_large", f"image of {width}x{height} pixels is over max_pixels"
            )
        try:
            image.load()
            upright = ImageOps.exif_transpose(image)
            return upright.convert("L" if upright.mode in ("1", "L", "I;16", "I") else "RGB")
        except Image.DecompressionBombError:
            raise ImageRejected("image_bomb", "image expands beyond Pillow's bomb limit") from None
        except Exception as error:
            raise ImageRejected(
                "image_unreadable", f"cannot decode image ({type(error).__name__})"
            ) from None
