"""Fixtures for the image reader: generated documents, a note collector, settings."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from PIL import Image

from crossguard.message.settings import ImageSettings
from crossguard.synth.idimages import Holder, fake_holder

Notes = list[tuple[str, str]]


@pytest.fixture(autouse=True)
def one_ocr_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tesseract single-threaded, as on the 2-core CI machine."""
    monkeypatch.setenv("OMP_THREAD_LIMIT", "1")


@pytest.fixture(scope="session")
def holder() -> Holder:
    return fake_holder(11)


@pytest.fixture
def image_settings() -> ImageSettings:
    return ImageSettings()


@pytest.fixture
def encode() -> Callable[..., bytes]:
    """``encode(image, format, **options)`` -> encoded bytes."""

    def run(image: Image.Image, fmt: str = "PNG", **options: object) -> bytes:
        out = io.BytesIO()
        image.save(out, format=fmt, **options)
        return out.getvalue()

    return run
