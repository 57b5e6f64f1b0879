"""A Finding: one identifier found in one part of a message."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Finding:
    """An identifier found in text.

    ``kind`` is a stable public name (``EMAIL``, ``PHONE``, ``CARD``...).
    ``start``/``end`` index the part's extracted text (the original text, not
    the normalized one). ``value`` is the normalized value: it is kept out of
    ``repr``, equality, :meth:`as_dict` and every log line; only the index
    lookup reads it.
    """

    kind: str
    part: str
    start: int
    end: int
    masked: str
    confidence: float
    value: str = field(repr=False, compare=False)

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, masked value only."""
        return {
            "kind": self.kind,
            "part": self.part,
            "span": [self.start, self.end],
            "masked": self.masked,
            "confidence": round(self.confidence, 3),
        }
