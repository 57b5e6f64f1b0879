"""Limits for reading messages and attachments."""

from __future__ import annotations

from pydantic import Field

from crossguard.settings_base import Section


class ParseLimits(Section):
    """Every limit the parser enforces; hitting one is a parse note, never a crash."""

    max_message_bytes: int = Field(
        50_000_000, ge=1, le=2_000_000_000,
        description="Largest raw message read, in bytes.",
    )
    max_part_bytes: int = Field(
        30_000_000, ge=1, le=2_000_000_000,
        description="Largest decoded part whose text is extracted, in bytes."
    )
    max_depth: int = Field(
        20, ge=1, le=1_000,
        description="Deepest MIME / message/rfc822 / archive nesting read.",
    )
    max_parts: int = Field(
        500, ge=1, le=1_000_000,
        description="Most leaf parts read from one message.",
    )
    max_text_chars: int = Field(
        2_000_000, ge=1, le=1_000_000_000,
        description="Most characters of extracted text kept per part."
    )
    max_pdf_pages: int = Field(
        200, ge=1, le=1_000_000,
        description="Most PDF pages whose text is extracted.",
    )
    max_archive_members: int = Field(
        1_000, ge=1, le=1_000_000,
        description="Most members read from one zip archive.",
    )
    max_archive_total_bytes: int = Field(
        100_000_000, ge=1, le=100_000_000_000,
        description="Most bytes expanded from one zip archive, members added up."
    )
    max_archive_ratio: float = Field(
        100.0, ge=1, le=1_000_000_000,
        description="Highest expanded/compressed size ratio before a member is a zip bomb."
    )
    max_header_chars: int = Field(
        100_000, ge=1, le=100_000_000,
        description="Longest header field value read, in characters; longer is cut."
    )
    max_notes: int = Field(
        200, ge=1, le=1_000_000,
        description="Most parse notes kept per message; one more note says the rest were cut."
    )


class ImageSettings(Section):
    """Reading identity documents in images: OCR, barcodes, MRZ."""

    enabled: bool = Field(True, description="Read text and barcodes from image attachments.")
    ocr: bool = Field(True, description="Run Tesseract OCR on images (needs tesseract-ocr).")
    max_pixels: int = Field(
        40_000_000, ge=1, le=10_000_000_000,
        description="Largest image (width x height) decoded; larger is a parse note."
    )
    max_image_bytes: int = Field(
        25_000_000, ge=1, le=2_000_000_000,
        description="Largest encoded image read, in bytes.",
    )
    per_image_seconds: float = Field(8.0, gt=0, le=3_600, description="Time budget for one image.")
    per_message_seconds: float = Field(
        30.0, gt=0, le=3_600,
        description="Time budget for all images of a message.",
    )
