"""summary.json and the regulator clock: counts and dates, nothing about the run itself.

The summary depends only on the archive, the index and the options, never on
the number of workers or the time of the run, so two scans can be compared
byte for byte.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from crossguard.core.mask import mask_email
from crossguard.incident.graph import ExposureGraph

#: GDPR Art. 33(1): notify the supervisory authority within 72 hours of becoming aware.
NOTIFICATION_WINDOW = timedelta(hours=72)
TOP = 10


@dataclass(frozen=True, slots=True)
class Clock:
    """The regulator clock: first exposure, awareness and the 72-hour deadline."""

    first_exposure: datetime | None
    last_exposure: datetime | None
    aware_at: datetime | None

    @property
    def deadline(self) -> datetime | None:
        return self.aware_at + NOTIFICATION_WINDOW if self.aware_at else None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "first_exposure": _iso(self.first_exposure),
            "last_exposure": _iso(self.last_exposure),
            "aware_at": _iso(self.aware_at),
            "notification_deadline": _iso(self.deadline),
        }


def clock_of(graph: ExposureGraph, aware_at: datetime | None) -> Clock:
    return Clock(graph.first_exposure(), graph.last_exposure(), aware_at)


def summary(graph: ExposureGraph, clock: Clock) -> dict[str, Any]:
    """Everything summary.json holds; addresses masked, evidence masked."""
    affected = graph.affected()
    kinds: Counter[str] = Counter()
    for customer in affected:
        kinds.update(customer.kinds)
    recipients = {edge.recipient for edge in graph.edges.values()}
    return {
        "messages": {
            "read": graph.read,
            "evaluated": graph.evaluated,
            "outside_filters": graph.outside_filters,
            "malformed": len(graph.malformed),
            "exposing": len(graph.exposing),
        },
        "exposures": {
            "affected_customers": len(affected),
            "recipients": len(recipients),
            "edges": len(graph.edges),
        },
        "clock": clock.as_dict(),
        "filters": graph.filters.as_dict(),
        "kinds": dict(sorted(kinds.items())),
        "top_senders": [
            {"sender": mask_email(sender), "messages": count}
            for sender, count in top(graph.senders)
        ],
        "affected": [
            {
                "customer_id": customer.customer_id,
                "kinds": customer.kinds,
                "evidence": [f"{kind} {masked}" for kind, masked in customer.evidence],
                "recipients": len(customer.edges),
                "messages": len(customer.message_ids),
                "first_exposure": _iso(customer.first),
            }
            for customer in affected
        ],
        "malformed": [{"source": source, "error": error} for source, error in graph.malformed],
    }


def summary_json(data: dict[str, Any]) -> str:
    """The canonical text of summary.json (sorted keys, fixed indentation)."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def top(counter: Counter[str], count: int = TOP) -> list[tuple[str, int]]:
    """The most common entries, ties broken by name so the order is stable."""
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:count]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
