"""Attribution: a customer whose data a message carries, and the (masked) evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Evidence:
    """One identifier that tied a message to a customer (masked)."""

    kind: str
    part: str
    masked: str
    weight: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "part": self.part,
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
