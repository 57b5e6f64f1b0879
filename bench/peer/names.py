"""PERSON and STREET_ADDRESS through the customer index, on synth_dataset_v2.json.

crossguard does not detect names or addresses in general; it recognises the
names and street lines of known customers. Here each dataset text whose
annotations include a person or a street address becomes one customer (with
the e-mails, phones, cards, SSNs and licences annotated in the same text), an
index is built, and every text is attributed. A gold span counts as:

* matched: a NAME (or STREET) candidate fingerprint starting inside it hit
  the index (some customer owns that name);
* attributed: that hit was part of the evidence of a customer the Attributor
  attributed the text to (a primary identifier, or two weak kinds nearby).

A candidate's position is the character where its name pair or street line
starts (``Candidates.span``), so the criterion is "starts inside the
annotated span", looser than IoU >= 0.9.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from crossguard.core.kinds import PRIMARY, IndexKind
from crossguard.detect import DetectorSet
from crossguard.index.attribute import Attributor
from crossguard.index.build import build_index
from crossguard.index.candidates import message_candidates
from crossguard.index.customer_index import CustomerIndex, Hit
from crossguard.index.customer_input import Row
from crossguard.index.settings import IndexSettings
from crossguard.message.model import Part

KEY = bytes(range(32, 64))
COLUMN_OF = {
    "PERSON": "name", "STREET_ADDRESS": "address", "EMAIL_ADDRESS": "email",
    "PHONE_NUMBER": "phone", "CREDIT_CARD": "card", "US_SSN": "national_id",
    "US_DRIVER_LICENSE": "driver_licence",
}
TARGETS = {"PERSON": IndexKind.NAME, "STREET_ADDRESS": IndexKind.STREET}


def customer_table(samples: Sequence[dict[str, Any]]) -> list[tuple[int, Row]]:
    """One customer per text that names a person or a street address."""
    rows: list[tuple[int, Row]] = []
    for number, sample in enumerate(samples):
        row: Row = {}
        for span in sample["spans"]:
            column = COLUMN_OF.get(span["entity_type"])
            if column:
                row.setdefault(column, []).append(span["entity_value"].strip())
        if "name" in row or "address" in row:
            row["customer_id"] = [f"S{number:05d}"]
            rows.append((len(rows) + 1, row))
    return rows


def _counted(attributor: Attributor, customer: str, hits: list[Hit], candidates: Any
             ) -> list[Hit]:
    """The hits that make up ``customer``'s attribution (none if not attributed)."""
    if attributor._score(customer, hits, candidates) is None:
        return []
    primary = [hit for hit in hits if hit.kind in PRIMARY]
    weak = [hit for hit in hits if hit.kind not in PRIMARY]
    return primary + weak if primary else attributor._best_weak_cluster(weak, candidates)


def attribution_scores(samples: Sequence[dict[str, Any]], detectors: DetectorSet
                       ) -> dict[str, dict[str, Any]]:
    """Recall of name/address spans by index match and by attribution, and precision."""
    with tempfile.TemporaryDirectory(prefix="cg-names-") as folder:
        path = Path(folder) / "index"
        report = build_index(customer_table(samples), path, KEY)
        index = CustomerIndex.open(path, KEY)
        attributor = Attributor(index, KEY, IndexSettings())
        gold = {entity: 0 for entity in TARGETS}
        matched = {entity: 0 for entity in TARGETS}
        attributed = {entity: 0 for entity in TARGETS}
        positions: dict[str, set[tuple[int, int]]] = {entity: set() for entity in TARGETS}
        inside: dict[str, set[tuple[int, int]]] = {entity: set() for entity in TARGETS}
        for number, sample in enumerate(samples):
            text = sample["full_text"]
            part = Part(path="1", content_type="text/plain", text=text)
            candidates = message_candidates([part], detectors.scan(text, "1"),
                                            attributor.keyer, attributor.hasher,
                                            attributor.regions)
            hits = index.lookup(candidates.array())
            by_customer: dict[str, list[Hit]] = defaultdict(list)
            for hit in hits:
                if hit.kind == candidates.kind(hit.query):
                    by_customer[hit.customer_id].append(hit)
            counted = [hit for customer, customer_hits in by_customer.items()
                       for hit in _counted(attributor, customer, customer_hits, candidates)]
            for entity, kind in TARGETS.items():
                hit_at = {candidates.span(h.query)[0] for h in hits if h.kind == kind}
                counted_at = {candidates.span(h.query)[0] for h in counted if h.kind == kind}
                positions[entity].update((number, at) for at in counted_at)
                for span in sample["spans"]:
                    if span["entity_type"] != entity:
                        continue
                    start, end = span["start_position"], span["end_position"]
                    gold[entity] += 1
                    matched[entity] += any(start <= at < end for at in hit_at)
                    found = {at for at in counted_at if start <= at < end}
                    attributed[entity] += bool(found)
                    inside[entity].update((number, at) for at in found)
    return {
        entity: {
            "gold": gold[entity],
            "customers_indexed": report.customers,
            "matched_recall": round(matched[entity] / gold[entity], 4) if gold[entity] else 0.0,
            "attributed_recall": (round(attributed[entity] / gold[entity], 4)
                                  if gold[entity] else 0.0),
            "attributed_precision": (round(len(inside[entity]) / len(positions[entity]), 4)
                                     if positions[entity] else 0.0),
        }
        for entity in TARGETS
    }
