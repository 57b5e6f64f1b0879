"""Attribution: a customer whose data a message carries, and the (masked) evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Place:
    """Where in its part's text an identifier matched, and its masked rendering."""

    start: int
    end: int
    masked: str


@dataclass(frozen=True, slots=True)
class Evidence:
    """One kind of identifier that tied a message to a customer in one part (masked).

    ``places`` are every span of that part where an identifier of this kind of
    this customer matched, the strongest first (``masked`` is its rendering):
    what a shown Subject or Message-ID masks.
    """

    kind: str
    part: str
    masked: str
    weight: float
    places: tuple[Place, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "part": self.part,
            "spans": [[place.start, place.end] for place in self.places],
            "masked": self.masked,
            "weight": round(self.weight, 3),
        }


@dataclass(slots=True)
class Attribution:
    """A customer whose data the message carries, with the evidence."""

    customer_id: str
    score: float
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def kinds(self) -> list[str]:
        return sorted({item.kind for item in self.evidence})

    def as_dict(self) -> dict[str, Any]:
        return {
            "customer_id": self.customer_id,
            "score": round(self.score, 3),
            "kinds": self.kinds,
            "evidence": [item.as_dict() for item in self.evidence],
        }
