"""A seeded set of identity-document phone photos with what each one should yield."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from PIL import Image

from crossguard.synth.idimages import (
    Holder,
    fake_holder,
    licence_back,
    licence_front,
    passport_page,
)
from crossguard.synth.photo import PhotoStyle, phone_photo

DOCUMENTS: dict[str, Callable[[Holder], Image.Image]] = {
    "licence_front": licence_front,
    "licence_back": licence_back,
    "passport": passport_page,
}
SCALES = (0.5, 1.0, 1.5)
ANGLES = (0.0, 3.0, -3.0, 90.0)
QUALITIES = (85, 45)


@dataclass(frozen=True, slots=True)
class Sample:
    """One photo: which document and style, whose, and the encoded JPEG."""

    document: str
    style: PhotoStyle
    holder: Holder
    jpeg: bytes

    @property
    def variant(self) -> str:
        return f"{self.document}/{self.style.label}"


def styles() -> list[PhotoStyle]:
    """Every photographic variant: scales x rotations x JPEG qualities, all with noise."""
    return [
        PhotoStyle(scale=scale, angle=angle, quality=quality, noise=6.0)
        for scale, angle, quality in itertools.product(SCALES, ANGLES, QUALITIES)
    ]


def samples(holders: int = 2, seed: int = 0, documents: tuple[str, ...] = ()) -> Iterator[Sample]:
    """Photos of ``holders`` fake people's documents in every style, reproducibly."""
    chosen = documents or tuple(DOCUMENTS)
    for number in range(holders):
        holder = fake_holder(seed + number)
        for document in chosen:
            page = DOCUMENTS[document](holder)
            for index, style in enumerate(styles()):
                photo = phone_photo(page, style, seed=seed * 1000 + number * 100 + index)
                yield Sample(document, style, holder, photo)
