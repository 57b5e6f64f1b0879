"""The regulator draft: GDPR Art. 33(3) content as art33.json and art33.md.

Counts come from the exposure graph (data subjects = affected customers,
records = exposures, i.e. one customer's data reaching one recipient), the
measures only from what is configured, the clock from the time of awareness.
A draft for the privacy officer and counsel to complete, not a filing.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from typing import Any

from jinja2 import Environment

from crossguard.incident import jurisdictions, wording
from crossguard.incident.branding import Branding
from crossguard.incident.graph import ExposureGraph
from crossguard.incident.residence import Residence
from crossguard.incident.summary import Clock

TEMPLATE = "art33.md.j2"


def draft(graph: ExposureGraph, clock: Clock, branding: Branding, *,
          residences: dict[str, Residence], issued_at: datetime, delay_reason: str | None,
          notices: int, phases: list[dict[str, Any]]) -> dict[str, Any]:
    """Everything art33.json holds (no address, no identifier: counts, kinds, dates)."""
    affected = graph.affected()
    people: Counter[str] = Counter()
    records: Counter[str] = Counter()
    for customer in affected:
        people.update(customer.kinds)
    for edge in graph.edges.values():
        records.update(edge.kinds)
    recipients = {edge.recipient for edge in graph.edges.values()}
    late = clock.deadline is not None and issued_at > clock.deadline
    kinds = sorted(people)
    return {
        "draft": True,
        "notice": "Draft prepared by crossguard for the privacy officer; check and complete "
                  "it before filing. The jurisdiction rules are a starting point, not legal "
                  "advice.",
        "controller": {"name": branding.company, "contact": branding.contact,
                       "dpo_contact": branding.dpo_contact},
        "nature": {
            "type": "confidentiality",
            "description": (
                f"Personal data of {len(affected)} customers was sent by email to "
                f"{len(recipients)} recipients who were not entitled to receive it, in "
                f"{len(graph.exposing)} messages sent through the customer-care mail system."),
            "messages_read": graph.read,
            "messages_exposing": len(graph.exposing),
        },
        "data_subjects": {"count": len(affected), "exact": True},
        "records": {"exposures": len(graph.edges), "recipients": len(recipients),
                    "messages": len(graph.exposing)},
        "categories": [{"kind": kind, "words": wording.word(kind),
                        "data_subjects": people[kind], "records": records[kind]}
                       for kind in kinds],
        "likely_consequences": wording.consequences(kinds, wording.REGULATOR),
        "measures_taken": _measures(branding, graph, notices),
        "timeline": {**clock.as_dict(), "drafted_at": issued_at.isoformat(),
                     "hours_since_awareness": _hours(issued_at, clock.aware_at)},
        "delay": {"late": late, "reasons": delay_reason,
                  "reasons_missing": late and not delay_reason},
        "places": jurisdictions.places(affected, residences),
        "jurisdictions": jurisdictions.assess(affected, residences, clock.aware_at),
        "phases": phases,
    }


def draft_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def draft_md(data: dict[str, Any], env: Environment) -> str:
    return env.get_template(TEMPLATE).render(d=data)


def _measures(branding: Branding, graph: ExposureGraph, notices: int) -> list[str]:
    """What was done: the scan's own facts, then only what the company configured."""
    done = [f"The mail archive was scanned ({graph.read} messages) to find exactly which "
            "customers' data reached which recipients.",
            f"Deletion requests were prepared for the {notices} recipients."]
    if branding.disabled_address:
        done.append(f"The address {branding.disabled_address}, which redistributed the "
                    "messages, has been disabled.")
    if branding.remediation_offer:
        done.append(f"Affected people are offered {branding.remediation_offer}.")
    return done + list(branding.measures)


def _hours(end: datetime, start: datetime | None) -> float | None:
    return round((end - start).total_seconds() / 3600, 1) if start else None
