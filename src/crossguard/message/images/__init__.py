"""Reading identity documents in images (OCR, barcodes, MRZ)."""

from __future__ import annotations

from collections.abc import Callable

from crossguard.detect.finding import Finding
from crossguard.message.settings import ImageSettings

NoteFn = Callable[[str, str], None]


def read_image(
    data: bytes, path: str, settings: ImageSettings, note: NoteFn
) -> tuple[str, list[Finding]]:
    """Text and structured findings read from one encoded image.

    ``note(kind, reason)`` records a parse note for this part. Never raises.
    """
    note("image_not_read", "image reading is not available in this build")
    return "", []
