"""One link's life: opened, used once for an upload, read, decided, purged; all audited."""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import select, update

from crossguard.errors import StoreError
from crossguard.store import audit
from crossguard.verify import links
from crossguard.verify.base import ItemView, VerifyContext
from crossguard.verify.models import (
    EXPIRED,
    PENDING,
    RECEIVED,
    REJECTED,
    REVOKED,
    VERIFIED,
    VerifyItem,
)
from crossguard.verify.purge import checkpoint, purge, secure
from crossguard.verify.reading import Reading

#: What a link's page shows: the form, "received", or a refusal.
OPEN, USED, GONE, INVALID = "open", "used", "gone", "invalid"
DECISIONS = {"verified": VERIFIED, "rejected": REJECTED}


@dataclass(frozen=True, slots=True)
class LinkStatus:
    """Whether a link can take an upload, and which item it is (None when invalid)."""

    status: str
    item_id: str | None = None


def status(ctx: VerifyContext, token: str, now: float | None = None) -> LinkStatus:
    """What the link ``token`` can do now (its signature checked against the stored item)."""
    item_id = links.item_of(token)
    if item_id is None:
        return LinkStatus(INVALID)
    with ctx.reads() as session:
        row = session.get(VerifyItem, item_id)
        if row is None or not links.verify(ctx.key, token, row.campaign_id, row.customer_id,
                                           row.expires_at):
            return LinkStatus(INVALID)
        state, expires = row.state, row.expires_at
    now = time.time() if now is None else now
    if state in (RECEIVED, VERIFIED, REJECTED):
        return LinkStatus(USED, item_id)
    if state in (REVOKED, EXPIRED) or expires <= now:
        return LinkStatus(GONE, item_id)
    return LinkStatus(OPEN, item_id)


def accept(ctx: VerifyContext, token: str, data: bytes, kind: str,
           address_confirmed: bool | None, now: float | None = None) -> str | None:
    """Store an upload encrypted, once; the item id, or None when the link is not open."""
    link = status(ctx, token, now)
    if link.status != OPEN or link.item_id is None:
        return None
    item_id = link.item_id
    now = time.time() if now is None else now
    with ctx.sessions.begin() as session:
        taken = session.execute(
            update(VerifyItem)
            .where(VerifyItem.id == item_id, VerifyItem.state == PENDING,
                   VerifyItem.expires_at > now)
            .values(state=RECEIVED, uploaded_at=now, upload=ctx.seal(item_id, data),
                    upload_type=kind, upload_bytes=len(data),
                    address_confirmed=address_confirmed)).rowcount  # type: ignore[attr-defined]
        if taken != 1:
            return None
        row = session.get_one(VerifyItem, item_id)
        audit.append(session, "customer", "verify.upload", {
            "item_id": item_id, "campaign_id": row.campaign_id, "customer_id": row.customer_id,
            "type": kind, "bytes": len(data), "address_confirmed": address_confirmed})
    return item_id


def refused(ctx: VerifyContext, item_id: str, why: str) -> None:
    """Audit an upload that was refused by the limits (nothing of it is kept)."""
    with ctx.sessions.begin() as session:
        audit.append(session, "customer", "verify.upload_refused",
                     {"item_id": item_id, "why": why})


def read(ctx: VerifyContext, item_id: str, reader: Callable[[str, bytes, str], Reading]) -> str:
    """Decrypt a received upload, read it with ``reader(customer, data, kind)``; the outcome."""
    with ctx.reads() as session:
        row = session.get(VerifyItem, item_id)
        if row is None or row.state != RECEIVED or row.upload is None or row.upload_type is None:
            raise StoreError(f"verification item {item_id} has no upload to read")
        customer_id, kind = row.customer_id, row.upload_type
        data = ctx.open_sealed(item_id, row.upload)
    reading = reader(customer_id, data, kind)
    with ctx.sessions.begin() as session:
        session.execute(update(VerifyItem).where(
            VerifyItem.id == item_id, VerifyItem.state == RECEIVED, VerifyItem.purged_at.is_(None)
        ).values(outcome=reading.outcome, reading=json.dumps(reading.as_dict(), sort_keys=True)))
        audit.append(session, "verify:reader", "verify.read", {
            "item_id": item_id, "outcome": reading.outcome,
            "kinds": sorted({entry["kind"] for entry in reading.found}), "notes": reading.notes})
    return reading.outcome


def awaiting(ctx: VerifyContext, limit: int = 200) -> list[ItemView]:
    """Uploads waiting for a decision, oldest first."""
    with ctx.reads() as session:
        rows = session.scalars(select(VerifyItem).where(VerifyItem.state == RECEIVED)
                               .order_by(VerifyItem.uploaded_at).limit(limit))
        return [ItemView.of(row) for row in rows]


def item(ctx: VerifyContext, item_id: str) -> ItemView:
    """One item; StoreError if there is none."""
    with ctx.reads() as session:
        row = session.get(VerifyItem, item_id)
        if row is None:
            raise StoreError(f"no verification item {item_id}")
        return ItemView.of(row)


def decide(ctx: VerifyContext, item_id: str, decision: str, *, actor: str, reason: str) -> None:
    """Record verified/rejected exactly once, then purge the upload in the same transaction."""
    if decision not in DECISIONS:
        raise StoreError("a decision is verified or rejected")
    if not reason.strip():
        raise StoreError("a reason is required")
    with ctx.sessions.begin() as session:
        secure(session)
        done = session.execute(
            update(VerifyItem).where(VerifyItem.id == item_id, VerifyItem.state == RECEIVED)
            .values(state=DECISIONS[decision], decided_at=time.time(), decided_by=actor,
                    reason=reason)).rowcount  # type: ignore[attr-defined]
        row = session.get(VerifyItem, item_id)
        if row is None:
            raise StoreError(f"no verification item {item_id}")
        if done != 1:
            raise StoreError(f"verification item {item_id} is {row.state}, not awaiting a decision")
        audit.append(session, actor, "verify.decide", {
            "item_id": item_id, "customer_id": row.customer_id, "decision": decision,
            "outcome": row.outcome, "reason": reason})
        purge(session, row, actor=actor, why="decided")
    checkpoint(ctx.engine)


DECISION_COLUMNS = ("campaign_id", "item_id", "customer_id", "decision", "outcome",
                    "address_confirmed", "decided_at", "decided_by", "reason")


def decisions(ctx: VerifyContext, since: float = 0.0) -> Iterator[dict[str, object]]:
    """Decided items (verified or rejected) after ``since``, oldest first, for the order system."""
    with ctx.reads() as session:
        rows = list(session.scalars(
            select(VerifyItem).where(VerifyItem.state.in_((VERIFIED, REJECTED)),
                                     VerifyItem.decided_at > since)
            .order_by(VerifyItem.decided_at)))
    for row in rows:
        yield {"campaign_id": row.campaign_id, "item_id": row.id,
               "customer_id": row.customer_id, "decision": row.state, "outcome": row.outcome,
               "address_confirmed": row.address_confirmed, "decided_at": row.decided_at,
               "decided_by": row.decided_by, "reason": row.reason}


def decisions_csv(ctx: VerifyContext, since: float = 0.0) -> tuple[str, int]:
    """:func:`decisions` as CSV text with a header row, and how many rows it holds."""
    rows = list(decisions(ctx, since))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=DECISION_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue(), len(rows)
