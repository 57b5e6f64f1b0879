"""Affected people per jurisdiction, against each jurisdiction's notification rule.

The rules are data (data/jurisdictions.toml): a starting point for counsel,
not legal advice. A rule applies to a customer who lives where it covers and
whose exposed data includes a kind it names (with their name, where the rule
requires it); its authority notice is flagged when that count reaches the
rule's threshold.
"""

from __future__ import annotations

import csv
import io
import tomllib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib.resources import files
from typing import Any

from crossguard.incident.graph import Affected
from crossguard.incident.residence import Residence

NAME_KIND = "PERSON_NAME"
UNKNOWN = "unknown"
CSV_COLUMNS = ("jurisdiction", "name", "law", "authority", "affected", "notifiable",
               "authority_threshold", "threshold_crossed", "authority_deadline",
               "authority_deadline_rule", "individual_deadline", "individual_deadline_rule")


@dataclass(frozen=True, slots=True)
class Rule:
    """One jurisdiction's breach-notification rule (see the data file's header)."""

    id: str
    name: str
    law: str
    citation: str
    authority: str
    authority_threshold: int
    authority_hours: int
    authority_deadline: str
    individual_days: int
    individual_deadline: str
    triggers: frozenset[str]
    requires_name: bool
    countries: frozenset[str] = frozenset()
    us_state: str | None = None

    def covers(self, residence: Residence) -> bool:
        if self.us_state is not None:
            return residence.country == "US" and residence.state == self.us_state
        return residence.country in self.countries

    def notifiable(self, kinds: set[str]) -> bool:
        """Whether exposing ``kinds`` of one person is a breach this rule covers."""
        if self.requires_name and NAME_KIND not in kinds:
            return False
        return not self.triggers or bool(self.triggers & kinds)


@cache
def rules() -> tuple[Rule, ...]:
    """The rules of data/jurisdictions.toml, in file order."""
    text = files("crossguard.incident").joinpath("data/jurisdictions.toml").read_text("utf-8")
    return tuple(
        Rule(item["id"], item["name"], item["law"], item["citation"], item["authority"],
             int(item["authority_threshold"]), int(item["authority_hours"]),
             item["authority_deadline"], int(item["individual_days"]),
             item["individual_deadline"], frozenset(item["triggers"]),
             bool(item["requires_name"]), frozenset(item.get("countries", ())),
             item.get("us_state"))
        for item in tomllib.loads(text)["rule"]
    )


def place(residence: Residence) -> str:
    """``US-CA``, ``DE``, ``US`` (state unknown) or ``unknown``."""
    if residence.country is None:
        return UNKNOWN
    if residence.country == "US" and residence.state:
        return f"US-{residence.state}"
    return residence.country


def places(affected: list[Affected], residences: dict[str, Residence]) -> list[dict[str, Any]]:
    """Affected customers and exposures per country / US state, most affected first."""
    people: Counter[str] = Counter()
    records: Counter[str] = Counter()
    for customer in affected:
        where = place(residences.get(customer.customer_id, Residence()))
        people[where] += 1
        records[where] += len(customer.edges)
    return [{"place": where, "affected": count, "exposures": records[where],
             "rule": _rule_of(where)}
            for where, count in sorted(people.items(), key=lambda item: (-item[1], item[0]))]


def assess(affected: list[Affected], residences: dict[str, Residence],
           aware_at: datetime | None) -> list[dict[str, Any]]:
    """One row per rule that covers an affected customer: counts, threshold flag, deadlines."""
    rows = []
    for rule in rules():
        covered = [customer for customer in affected
                   if rule.covers(residences.get(customer.customer_id, Residence()))]
        if not covered:
            continue
        notifiable = sum(1 for customer in covered if rule.notifiable(set(customer.kinds)))
        rows.append({
            "jurisdiction": rule.id, "name": rule.name, "law": rule.law,
            "citation": rule.citation, "authority": rule.authority,
            "affected": len(covered), "notifiable": notifiable,
            "authority_threshold": rule.authority_threshold,
            "threshold_crossed": notifiable >= rule.authority_threshold,
            "authority_deadline": _after(aware_at, timedelta(hours=rule.authority_hours))
            if rule.authority_hours else None,
            "authority_deadline_rule": rule.authority_deadline,
            "individual_deadline": _after(aware_at, timedelta(days=rule.individual_days))
            if rule.individual_days else None,
            "individual_deadline_rule": rule.individual_deadline,
        })
    return rows


def table_csv(rows: list[dict[str, Any]]) -> str:
    """jurisdictions.csv: one row per rule that applies."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([_cell(row[column]) for column in CSV_COLUMNS])
    return buffer.getvalue()


def _rule_of(where: str) -> str | None:
    for rule in rules():
        if (rule.us_state and where == f"US-{rule.us_state}") or where in rule.countries:
            return rule.id
    return None


def _after(start: datetime | None, delta: timedelta) -> str | None:
    return (start + delta).isoformat() if start else None


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)
