"""Verification campaigns over JSON: create (admin), list and show, decide, export decisions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from crossguard.api.auth import Admin, Reviewer
from crossguard.api.responses import errors
from crossguard.api.verify_schemas import (
    CampaignCreated,
    CampaignDetail,
    CampaignIn,
    CampaignOut,
    LinkOut,
    RevokedOut,
    VerifyDecision,
)
from crossguard.errors import StoreError
from crossguard.service.errors import Conflict, NotFound
from crossguard.service.state import app_state
from crossguard.verify import campaigns, items
from crossguard.verify.base import ItemView, VerifyContext, for_app
from crossguard.verify.invite import Invitee
from crossguard.verify.invitees import CUSTOMER_ID
from crossguard.verify.launch import launch
from crossguard.verify.purge import sweep

router = APIRouter(prefix="/v1/verify", tags=["verify"])

Id = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9a-f]+$")]


def verify_context(request: Request) -> VerifyContext:
    """The verification context of the app serving ``request``."""
    return for_app(app_state(request))[0]


@router.post("/campaigns", response_model=CampaignCreated, status_code=201,
             responses=errors(400, 503))
async def create_campaign(request: Request, principal: Admin, body: CampaignIn
                          ) -> CampaignCreated:
    """One signed, single-use link per customer; mailed one by one, or returned for a merge."""
    state, ctx = app_state(request), verify_context(request)
    invitees = [Invitee(item.customer_id, item.email) for item in body.customers]
    done = await run_in_threadpool(launch, ctx, state.settings.gateway, body.name, invitees,
                                   actor=principal.actor, send=body.deliver == "send",
                                   days=body.days)
    public_url = state.settings.verify.public_url or ""
    links = [] if body.deliver == "send" else [
        LinkOut(customer_id=invitee.customer_id, email=invitee.email,
                link=link.url(public_url), expires_at=link.expires_at)
        for invitee, link in done.links]
    return CampaignCreated(campaign_id=done.campaign_id, items=len(done.links), sent=done.sent,
                           refused=done.refused, links=links)


@router.get("/campaigns", response_model=list[CampaignOut], responses=errors())
def list_campaigns(request: Request, _principal: Reviewer,
                   limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[CampaignOut]:
    """Campaigns, newest first, with their items counted by state."""
    ctx = verify_context(request)
    sweep(ctx)
    return [CampaignOut.model_validate(view.as_dict()) for view in campaigns.listing(ctx, limit)]


@router.get("/campaigns/{campaign_id}", response_model=CampaignDetail, responses=errors(404))
def show_campaign(request: Request, _principal: Reviewer, campaign_id: Id) -> CampaignDetail:
    """One campaign and every item of it."""
    try:
        view, rows = campaigns.show(verify_context(request), campaign_id)
    except StoreError:
        raise NotFound("no such campaign") from None
    return CampaignDetail(campaign=CampaignOut.model_validate(view.as_dict()),
                          items=[row for row in rows])


@router.post("/campaigns/{campaign_id}/revoke", response_model=RevokedOut,
             responses=errors(404))
def revoke_campaign(request: Request, principal: Admin, campaign_id: Id) -> RevokedOut:
    """Revoke every unused link of a campaign."""
    try:
        count = campaigns.revoke(verify_context(request), campaign_id, actor=principal.actor)
    except StoreError:
        raise NotFound("no such campaign") from None
    return RevokedOut(campaign_id=campaign_id, revoked=count)


@router.post("/campaigns/{campaign_id}/customers/{customer_id}/revoke", response_model=ItemView,
             responses=errors(404, 409))
def revoke_customer(request: Request, principal: Admin, campaign_id: Id,
                    customer_id: Annotated[str, Path(min_length=1, max_length=200,
                                                     pattern=CUSTOMER_ID)]) -> ItemView:
    """Revoke one customer's unused link."""
    ctx = verify_context(request)
    try:
        _view, rows = campaigns.show(ctx, campaign_id)
    except StoreError:
        raise NotFound("no such campaign") from None
    if not any(row.customer_id == customer_id for row in rows):
        raise NotFound("the campaign has no link for that customer")
    try:
        item_id = campaigns.revoke_customer(ctx, campaign_id, customer_id,
                                            actor=principal.actor)
    except StoreError as error:
        raise Conflict(str(error)) from None
    return items.item(ctx, item_id)


@router.get("/items", response_model=list[ItemView], responses=errors())
def list_items(request: Request, _principal: Reviewer) -> list[ItemView]:
    """Uploads waiting for a decision, oldest first."""
    ctx = verify_context(request)
    sweep(ctx)
    return items.awaiting(ctx)


@router.get("/items/{item_id}", response_model=ItemView, responses=errors(404))
def show_item(request: Request, _principal: Reviewer, item_id: Id) -> ItemView:
    """One item with its masked reading."""
    try:
        return items.item(verify_context(request), item_id)
    except StoreError:
        raise NotFound("no such item") from None


@router.post("/items/{item_id}/decide", response_model=ItemView, responses=errors(404, 409))
async def decide_item(request: Request, principal: Reviewer, item_id: Id,
                      body: VerifyDecision) -> ItemView:
    """Verified or rejected, with a reason; the upload and its reading are purged."""
    ctx = verify_context(request)
    try:
        await run_in_threadpool(items.item, ctx, item_id)
    except StoreError:
        raise NotFound("no such item") from None
    try:
        await run_in_threadpool(items.decide, ctx, item_id, body.decision,
                                actor=principal.actor, reason=body.reason)
    except StoreError as error:
        raise Conflict(str(error)) from None
    return items.item(ctx, item_id)


@router.get("/decisions", response_class=Response, responses={
    **errors(), 200: {"content": {"text/csv": {}}, "description": "Decisions as CSV."}})
def export_decisions(request: Request, _principal: Reviewer,
                     since: Annotated[float, Query(ge=0, le=1e11)] = 0.0) -> Response:
    """Decisions after ``since`` (epoch seconds) as CSV: customer, decision, who, why."""
    text, _count = items.decisions_csv(verify_context(request), since)
    return Response(text, media_type="text/csv",
                    headers={"Cache-Control": "no-store"})
