"""Reading the quarantine for review: filtered queue with counts, one entry, decisions.

Shared by the JSON API and the dashboard. Missing entries are ``NotFound``,
entries already decided are ``Conflict``.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import defer

from crossguard.errors import StoreError
from crossguard.service.errors import BadRequest, Conflict, NotFound
from crossguard.service.metrics import Metrics
from crossguard.store.models import QuarantineEntry
from crossguard.store.quarantine import HeldMessage
from crossguard.store.store import Store

STATES = ("held", "released", "discarded")
#: A decision's reason must hold at least one word character.
REASON = r"\w"


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """What the reviewer asked for; None means any."""

    state: str | None = "held"
    rule: str | None = None
    sender: str | None = None
    max_age_hours: float | None = None


@dataclass(slots=True)
class QueuePage:
    """Matching entries (newest first, limited) and counts over every match."""

    entries: list[HeldMessage]
    total: int
    by_rule: dict[str, int] = field(default_factory=dict)
    by_state: dict[str, int] = field(default_factory=dict)



def queue(store: Store, wanted: QueueFilter, limit: int = 100,
          now: float | None = None) -> QueuePage:
    """Entries matching ``wanted``; ``by_state`` counts ignore the state filter."""
    query = select(QuarantineEntry).options(defer(QuarantineEntry.body)).order_by(
        QuarantineEntry.created_at.desc()
    )
    if wanted.sender:
        query = query.where(func.lower(QuarantineEntry.mail_from).contains(
            wanted.sender.lower(), autoescape=True))
    if wanted.rule:
        query = query.where(QuarantineEntry.verdict.contains(f'"{wanted.rule}"', autoescape=True))
    if wanted.max_age_hours is not None:
        since = (now if now is not None else time.time()) - wanted.max_age_hours * 3600
        query = query.where(QuarantineEntry.created_at >= since)
    with store.sessions() as session:
        held = [HeldMessage.from_entry(entry) for entry in session.scalars(query)]
    if wanted.rule:
        held = [entry for entry in held if wanted.rule in entry.rules]
    by_state = Counter(entry.state for entry in held)
    if wanted.state:
        held = [entry for entry in held if entry.state == wanted.state]
    by_rule = Counter(rule for entry in held for rule in entry.rules)
    return QueuePage(held[:limit], len(held), dict(by_rule.most_common()),
                     {state: by_state.get(state, 0) for state in STATES})


def entry(store: Store, entry_id: str) -> HeldMessage:
    """One entry (masked), or NotFound."""
    with store.sessions() as session:
        found = session.get(QuarantineEntry, entry_id, options=[defer(QuarantineEntry.body)])
        if found is None:
            raise NotFound(f"no quarantine entry {entry_id}")
        return HeldMessage.from_entry(found)


def decide(store: Store, metrics: Metrics, entry_id: str, decision: str, *, actor: str,
           reason: str) -> str | None:
    """Release (relayed by the gateway's spool worker) or discard; the spool id of a release."""
    if not re.search(REASON, reason):
        raise BadRequest("a reason is required")
    current = entry(store, entry_id)
    if current.state != "held":
        raise Conflict(f"quarantine entry {entry_id} is already {current.state}")
    try:
        if decision == "release":
            spool_id: str | None = store.quarantine.release(entry_id, actor=actor, reason=reason)
        else:
            store.quarantine.discard(entry_id, actor=actor, reason=reason)
            spool_id = None
    except StoreError:
        if entry(store, entry_id).state != "held":  # another reviewer decided first
            raise Conflict(f"quarantine entry {entry_id} was decided by someone else") from None
        raise
    metrics.decisions.labels(decision).inc()
    return spool_id
