"""Request and response bodies of /v1/verify."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from crossguard.service.queue import REASON
from crossguard.verify.base import ItemView
from crossguard.verify.invitees import ADDRESS, CUSTOMER_ID


class InviteeIn(BaseModel):
    """A customer to invite."""

    customer_id: str = Field(min_length=1, max_length=200, pattern=CUSTOMER_ID)
    email: str = Field(max_length=320, pattern=ADDRESS)


class CampaignIn(BaseModel):
    """A new campaign: one signed link per customer."""

    model_config = {"extra": "forbid"}

    name: str = Field(min_length=1, max_length=200, pattern=REASON)
    customers: list[InviteeIn] = Field(min_length=1, max_length=10_000)
    days: float | None = Field(None, gt=0, le=365, description="Link lifetime (default "
                               "verify.link_days).")
    deliver: Literal["send", "links"] = Field(
        "send", description="send: one invitation mail per customer through the upstream MTA; "
        "links: return the links for a mail merge instead.")


class LinkOut(BaseModel):
    """A customer's link (returned once, never stored)."""

    customer_id: str
    email: str
    link: str
    expires_at: float


class CampaignCreated(BaseModel):
    """The new campaign."""

    campaign_id: str
    items: int
    sent: int
    refused: list[str] = Field(default_factory=list, description="Customers whose address "
                               "the upstream MTA refused (their links stay valid).")
    links: list[LinkOut] = Field(default_factory=list)


class CampaignOut(BaseModel):
    """A campaign with its items counted by state."""

    id: str
    name: str
    created_at: float
    created_by: str
    expires_at: float
    state: str
    counts: dict[str, int]
    total: int


class CampaignDetail(BaseModel):
    """A campaign and its items."""

    campaign: CampaignOut
    items: list[ItemView]


class VerifyDecision(BaseModel):
    """A reviewer's decision on an upload (audited; the upload is purged)."""

    decision: Literal["verified", "rejected"]
    reason: str = Field(min_length=1, max_length=2000, pattern=REASON)


class RevokedOut(BaseModel):
    """How many unused links were revoked."""

    campaign_id: str
    revoked: int
