"""Create, list, show and revoke campaigns: one signed link per customer, audited."""

from __future__ import annotations

import secrets
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from crossguard.errors import StoreError
from crossguard.store import audit
from crossguard.verify import links
from crossguard.verify.base import CampaignView, ItemView, VerifyContext
from crossguard.verify.models import PENDING, REVOKED, VerifyCampaign, VerifyItem

DAY = 86_400.0


@dataclass(frozen=True, slots=True)
class Link:
    """One customer's link, returned once when the campaign is made (never stored)."""

    customer_id: str
    item_id: str
    token: str
    expires_at: float

    def url(self, public_url: str) -> str:
        return f"{public_url.rstrip('/')}/verify/{self.token}"


def create(ctx: VerifyContext, name: str, customer_ids: Sequence[str], *, actor: str,
           days: float | None = None, now: float | None = None) -> tuple[str, list[Link]]:
    """A campaign with one link per distinct customer id; returns its id and the links."""
    if not name.strip() or len(name) > 200:
        raise StoreError("a campaign name is 1 to 200 characters")
    unique = list(dict.fromkeys(customer_ids))
    if not unique:
        raise StoreError("a campaign needs at least one customer")
    now = time.time() if now is None else now
    expires = now + DAY * (days if days is not None else ctx.settings.link_days)
    campaign_id = secrets.token_hex(8)
    made = []
    with ctx.sessions.begin() as session:
        session.add(VerifyCampaign(id=campaign_id, name=name, created_at=now, created_by=actor,
                                   expires_at=expires, state="open"))
        for customer_id in unique:
            item_id = links.new_item_id()
            session.add(VerifyItem(id=item_id, campaign_id=campaign_id, customer_id=customer_id,
                                   created_at=now, expires_at=expires, state=PENDING))
            made.append(Link(customer_id, item_id,
                             links.sign(ctx.key, item_id, campaign_id, customer_id, expires),
                             expires))
        audit.append(session, actor, "verify.campaign_create", {
            "campaign_id": campaign_id, "items": len(made), "expires_at": expires})
    return campaign_id, made


def _counts(session: Session, campaign_ids: list[str]) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {campaign_id: Counter() for campaign_id in campaign_ids}
    rows = session.execute(
        select(VerifyItem.campaign_id, VerifyItem.state, func.count())
        .where(VerifyItem.campaign_id.in_(campaign_ids))
        .group_by(VerifyItem.campaign_id, VerifyItem.state))
    for campaign_id, state, count in rows:
        counts[campaign_id][state] = int(count)
    return counts


def listing(ctx: VerifyContext, limit: int = 100) -> list[CampaignView]:
    """Campaigns, newest first, with their items counted by state."""
    with ctx.reads() as session:
        rows = list(session.scalars(
            select(VerifyCampaign).order_by(VerifyCampaign.created_at.desc()).limit(limit)))
        counts = _counts(session, [row.id for row in rows])
    return [CampaignView.of(row, dict(counts[row.id])) for row in rows]


def show(ctx: VerifyContext, campaign_id: str) -> tuple[CampaignView, list[ItemView]]:
    """One campaign and its items; StoreError if there is none."""
    with ctx.reads() as session:
        row = session.get(VerifyCampaign, campaign_id)
        if row is None:
            raise StoreError(f"no verification campaign {campaign_id}")
        items = list(session.scalars(
            select(VerifyItem).where(VerifyItem.campaign_id == campaign_id)
            .order_by(VerifyItem.customer_id)))
        counts = _counts(session, [campaign_id])
    return CampaignView.of(row, dict(counts[campaign_id])), [ItemView.of(item) for item in items]


def revoke(ctx: VerifyContext, campaign_id: str, *, actor: str) -> int:
    """Revoke every link of a campaign that was not used yet; return how many."""
    with ctx.sessions.begin() as session:
        campaign = session.get(VerifyCampaign, campaign_id)
        if campaign is None:
            raise StoreError(f"no verification campaign {campaign_id}")
        campaign.state = "revoked"
        revoked = session.execute(
            update(VerifyItem)
            .where(VerifyItem.campaign_id == campaign_id, VerifyItem.state == PENDING)
            .values(state=REVOKED)).rowcount  # type: ignore[attr-defined]
        audit.append(session, actor, "verify.campaign_revoke",
                     {"campaign_id": campaign_id, "items": int(revoked)})
    return int(revoked)


def revoke_customer(ctx: VerifyContext, campaign_id: str, customer_id: str, *,
                    actor: str) -> str:
    """Revoke one customer's unused link in a campaign; return its item id."""
    with ctx.sessions.begin() as session:
        item_id = session.scalar(select(VerifyItem.id).where(
            VerifyItem.campaign_id == campaign_id, VerifyItem.customer_id == customer_id))
        if item_id is None:
            raise StoreError(f"campaign {campaign_id} has no link for that customer")
        done = session.execute(
            update(VerifyItem).where(VerifyItem.id == item_id, VerifyItem.state == PENDING)
            .values(state=REVOKED)).rowcount  # type: ignore[attr-defined]
        if done != 1:
            raise StoreError(f"verification item {item_id} is not an unused link")
        audit.append(session, actor, "verify.link_revoke",
                     {"campaign_id": campaign_id, "item_id": item_id})
    return item_id
