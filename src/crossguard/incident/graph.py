"""The exposure graph: one edge per (data owner, recipient who must not see it)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from crossguard.incident.worker import Outcome


@dataclass(frozen=True, slots=True)
class Filters:
    """Which messages and recipients a scan reports on (all by default)."""

    since: datetime | None = None
    until: datetime | None = None
    sender_domain: str | None = None
    recipient_domain: str | None = None

    def keeps_message(self, outcome: Outcome) -> bool:
        """Date and sender within the filters (an undated message fails a date filter)."""
        if (self.since or self.until) and outcome.date is None:
            return False
        if self.since and outcome.date and outcome.date < self.since:
            return False
        if self.until and outcome.date and outcome.date >= self.until:
            return False
        return self.sender_domain is None or _in_domain(outcome.sender, self.sender_domain)

    def keeps_recipient(self, address: str) -> bool:
        return self.recipient_domain is None or _in_domain(address, self.recipient_domain)

    def as_dict(self) -> dict[str, str | None]:
        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "sender_domain": self.sender_domain,
            "recipient_domain": self.recipient_domain,
        }


@dataclass(slots=True)
class Edge:
    """Everything one recipient received of one customer's data."""

    customer_id: str
    recipient: str
    evidence: set[tuple[str, str]] = field(default_factory=set)
    message_ids: set[str] = field(default_factory=set)
    dates: list[datetime] = field(default_factory=list)
    senders: set[str] = field(default_factory=set)
    via_groups: set[str] = field(default_factory=set)

    @property
    def kinds(self) -> list[str]:
        return sorted({kind for kind, _ in self.evidence})

    @property
    def first(self) -> datetime | None:
        return min(self.dates, default=None)


@dataclass(slots=True)
class Affected:
    """One affected customer: their edges, what was exposed, when."""

    customer_id: str
    edges: list[Edge]

    @property
    def recipients(self) -> list[str]:
        return [edge.recipient for edge in self.edges]

    @property
    def evidence(self) -> list[tuple[str, str]]:
        return sorted(set().union(*(edge.evidence for edge in self.edges)))

    @property
    def kinds(self) -> list[str]:
        return sorted({kind for kind, _ in self.evidence})

    @property
    def message_ids(self) -> list[str]:
        return sorted(set().union(*(edge.message_ids for edge in self.edges)))

    @property
    def first(self) -> datetime | None:
        return min((edge.first for edge in self.edges if edge.first), default=None)


@dataclass(slots=True)
class ExposureGraph:
    """The scan's result: edges, and what happened to every message read."""

    filters: Filters = field(default_factory=Filters)
    edges: dict[tuple[str, str], Edge] = field(default_factory=dict)
    read: int = 0
    evaluated: int = 0
    outside_filters: int = 0
    exposing: dict[str, datetime | None] = field(default_factory=dict)
    senders: Counter[str] = field(default_factory=Counter)
    malformed: list[tuple[str, str]] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        """Fold one message's outcome into the graph."""
        self.read += 1
        if outcome.error is not None:
            self.malformed.append((outcome.source, outcome.error))
            return
        self.evaluated += outcome.evaluated
        if not self.filters.keeps_message(outcome):
            self.outside_filters += 1
            return
        hits = [hit for hit in outcome.hits if self.filters.keeps_recipient(hit.recipient)]
        if not hits:
            return
        message_key = outcome.message_id or outcome.source
        self.exposing[message_key] = outcome.date
        if outcome.sender:
            self.senders[outcome.sender] += 1
        for hit in hits:
            edge = self.edges.get((hit.customer_id, hit.recipient))
            if edge is None:
                edge = self.edges[hit.customer_id, hit.recipient] = Edge(hit.customer_id,
                                                                         hit.recipient)
            edge.evidence.update(hit.evidence)
            if message_key not in edge.message_ids:
                edge.message_ids.add(message_key)
                if outcome.date is not None:
                    edge.dates.append(outcome.date)
            if outcome.sender:
                edge.senders.add(outcome.sender)
            if hit.via_group:
                edge.via_groups.add(hit.via_group)

    def sorted_edges(self) -> list[Edge]:
        return [self.edges[key] for key in sorted(self.edges)]

    def affected(self) -> list[Affected]:
        """Affected customers by id, each with their edges by recipient."""
        grouped: dict[str, list[Edge]] = {}
        for edge in self.sorted_edges():
            grouped.setdefault(edge.customer_id, []).append(edge)
        return [Affected(customer, edges) for customer, edges in grouped.items()]

    def first_exposure(self) -> datetime | None:
        return min((date for date in self.exposing.values() if date), default=None)

    def last_exposure(self) -> datetime | None:
        return max((date for date in self.exposing.values() if date), default=None)


def build_graph(outcomes: Iterable[Outcome], filters: Filters | None = None) -> ExposureGraph:
    """The graph of ``outcomes``, folded in their scan order (``seq``)."""
    graph = ExposureGraph(filters or Filters())
    for outcome in sorted(outcomes, key=lambda item: item.seq):
        graph.add(outcome)
    return graph


def _in_domain(address: str | None, domain: str) -> bool:
    if not address:
        return False
    wanted = domain.lower().lstrip("@")
    host = address.rpartition("@")[2].lower()
    return host == wanted or host.endswith("." + wanted)
