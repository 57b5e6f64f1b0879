"""Scoring detected spans against annotations, the way Presidio's evaluation does.

A prediction is a true positive when it has the gold span's entity type and
their character intersection-over-union is at least 0.9; each gold span is
matched once. A prediction that matches nothing is a false positive for its
own type (so a span found with the wrong type is a false positive and, for
the gold type, a false negative). Predictions overlapping only annotations of
types nobody scores (GPE, ORGANIZATION...) are left out, as are predictions
of types with no scored counterpart. F2 weighs recall twice: a missed leak
costs more than a false hold.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

IOU_THRESHOLD = 0.9
Span = tuple[int, int, str]


def iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Character intersection over union of two half-open spans."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    if inter <= 0:
        return 0.0
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union


def f_beta(precision: float, recall: float, beta: float = 2.0) -> float:
    """F-beta of precision and recall (0 when both are 0)."""
    if precision <= 0 and recall <= 0:
        return 0.0
    b2 = beta * beta
    return (1 + b2) * precision * recall / (b2 * precision + recall)


@dataclass(slots=True)
class Counts:
    """True positives, false positives and false negatives of one entity type."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f2(self) -> float:
        return f_beta(self.precision, self.recall)

    def as_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f2": round(self.f2, 4)}


@dataclass(slots=True)
class Tally:
    """Counts per entity type over a corpus."""

    by_type: dict[str, Counts] = field(default_factory=dict)

    def counts(self, entity: str) -> Counts:
        return self.by_type.setdefault(entity, Counts())

    def add(self, gold: Sequence[Span], predicted: Sequence[Span],
            unscored: Sequence[tuple[int, int]] = ()) -> None:
        """Score one text: ``gold`` and ``predicted`` spans already in the scored types."""
        for entity in {span[2] for span in gold}:
            self.counts(entity)
        matched = [False] * len(gold)
        for start, end, entity in predicted:
            best, best_iou = -1, 0.0
            for number, (g_start, g_end, g_entity) in enumerate(gold):
                if matched[number] or g_entity != entity:
                    continue
                overlap = iou((start, end), (g_start, g_end))
                if overlap >= IOU_THRESHOLD and overlap > best_iou:
                    best, best_iou = number, overlap
            if best >= 0:
                matched[best] = True
                self.counts(entity).tp += 1
            elif not _only_unscored((start, end), gold, unscored):
                self.counts(entity).fp += 1
        for number, (_, _, entity) in enumerate(gold):
            if not matched[number]:
                self.counts(entity).fn += 1

    def total(self, entities: Iterable[str]) -> Counts:
        """Micro-averaged counts over ``entities``."""
        out = Counts()
        for entity in entities:
            counts = self.by_type.get(entity, Counts())
            out.tp += counts.tp
            out.fp += counts.fp
            out.fn += counts.fn
        return out


def _only_unscored(span: tuple[int, int], gold: Sequence[Span],
                   unscored: Sequence[tuple[int, int]]) -> bool:
    """Whether ``span`` overlaps an unscored annotation and no scored one."""
    touches = any(iou(span, other) > 0 for other in unscored)
    return touches and not any(iou(span, (g[0], g[1])) > 0 for g in gold)


def mapped(spans: Iterable[Sequence[Any]], mapping: Mapping[str, str]) -> list[Span]:
    """``(start, end, type, ...)`` spans whose type ``mapping`` knows, renamed."""
    return [(int(s[0]), int(s[1]), mapping[str(s[2])]) for s in spans if str(s[2]) in mapping]


@dataclass(frozen=True, slots=True)
class VectorCase:
    """One Presidio recognizer test case, normalized."""

    file: str
    text: str
    expected: tuple[tuple[int, int], ...]
    weak: bool


def vector_case(raw: Mapping[str, Any]) -> VectorCase | None:
    """Normalize the several shapes of recognizer_vectors.json; None when not a span case.

    ``weak``: Presidio expects the match only at a low score (every expected
    score range tops out at 0.4 or less, e.g. an SSN with no context).
    Phone cases that vary Presidio's own ``leniency`` knob keep only its
    default (1).
    """
    text = raw.get("text", raw.get("iban"))
    if not isinstance(text, str) or raw.get("leniency", 1) != 1:
        return None
    positions = raw.get("expected_positions", raw.get("expected_res"))
    if positions is None and "expected_position" in raw:
        positions = [raw["expected_position"]]
    if positions is None:
        if raw.get("expected_len") != 0:
            return None
        positions = []
    ranges = raw.get("expected_score_ranges") or []
    weak = bool(ranges) and all(float(high) <= 0.4 for _, high in ranges)
    expected = tuple(sorted((int(a), int(b)) for a, b in positions))
    return VectorCase(str(raw["file"]), text, expected, weak)


def vector_passes(case: VectorCase, found: Iterable[tuple[int, int]]) -> tuple[bool, bool]:
    """(strict, lenient) pass: exactly the expected spans; lenient lets weak cases stay silent."""
    spans = tuple(sorted(set(found)))
    strict = spans == case.expected
    return strict, strict or (case.weak and not spans)
