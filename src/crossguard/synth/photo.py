"""Make a clean document image look like a phone photo of it."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter


@dataclass(frozen=True, slots=True)
class PhotoStyle:
    """How a document was photographed: size, tilt, compression, sensor noise."""

    scale: float = 1.0
    angle: float = 0.0
    quality: int = 85
    noise: float = 6.0
    blur: float = 0.6

    @property
    def label(self) -> str:
        return f"s{self.scale:g}_r{self.angle:g}_q{self.quality}_n{self.noise:g}"


def phone_photo(document: Image.Image, style: PhotoStyle, seed: int = 0) -> bytes:
    """JPEG bytes of ``document`` lying on a desk, scaled, rotated, blurred and noisy."""
    rng = random.Random(seed)
    width = max(8, round(document.width * style.scale))
    height = max(8, round(document.height * style.scale))
    card = document.convert("RGB").resize((width, height), Image.Resampling.LANCZOS)
    card = card.rotate(
        style.angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(0, 0, 0)
    )
    mask = Image.new("L", (width, height), 255).rotate(style.angle, expand=True)
    margin = max(20, round(0.12 * max(card.size)))
    desk = Image.new("RGB", (card.width + 2 * margin, card.height + 2 * margin), (92, 70, 52))
    gradient = np.linspace(0.85, 1.15, desk.width)[None, :, None]
    desk_array = np.clip(np.asarray(desk, dtype=np.float32) * gradient, 0, 255)
    desk = Image.fromarray(desk_array.astype(np.uint8))
    desk.paste(card, (margin + rng.randrange(-margin // 2, margin // 2 + 1), margin), mask)
    if style.blur:
        desk = desk.filter(ImageFilter.GaussianBlur(style.blur * style.scale))
    if style.noise:
        pixels = np.asarray(desk, dtype=np.float32)
        noise = np.random.default_rng(seed).normal(0.0, style.noise, pixels.shape)
        desk = Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8))
    out = io.BytesIO()
    desk.save(out, format="JPEG", quality=style.quality)
    return out.getvalue()
