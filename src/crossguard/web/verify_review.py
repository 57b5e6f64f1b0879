"""The dashboard's Verifications view: campaigns and progress, uploads awaiting a decision.

Reviewers see the outcome (match, mismatch, unreadable) with masked values only,
never the document; deciding purges the upload and what was read from it.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from crossguard.errors import StoreError
from crossguard.service.state import app_state
from crossguard.verify import campaigns, items
from crossguard.verify.base import VerifyContext, for_app
from crossguard.verify.purge import sweep
from crossguard.web.pages import SECURITY_HEADERS, current, redirect, render
from crossguard.web.session import WebSession

router = APIRouter(prefix="/ui/verify", include_in_schema=False)

def verify_context(request: Request) -> VerifyContext:
    """The verification context of the app serving ``request``."""
    return for_app(app_state(request))[0]


OUTCOME_TEXT = {
    "match": "The document belongs to this customer.",
    "mismatch": "The document does not belong to this customer.",
    "unreadable": "The document could not be read.",
}


@router.get("")
def overview(request: Request) -> Response:
    """Campaigns with their progress, and the uploads waiting for a decision."""
    session, denied = current(request)
    if denied:
        return denied
    ctx = verify_context(request)
    sweep(ctx)
    return render(request, session, "verify/review_overview.html",
                  campaigns=campaigns.listing(ctx), awaiting=items.awaiting(ctx),
                  outcomes=OUTCOME_TEXT)


@router.get("/campaigns/{campaign_id}")
def campaign_page(request: Request, campaign_id: str) -> Response:
    """One campaign: every customer's link state and outcome."""
    session, denied = current(request)
    if denied:
        return denied
    try:
        view, rows = campaigns.show(verify_context(request), campaign_id[:64])
    except StoreError:
        return render(request, session, "error.html", 404, title="Not found",
                      message="There is no such campaign.")
    return render(request, session, "verify/review_campaign.html", campaign=view, items=rows)


def _item_page(request: Request, session: WebSession, item_id: str, status: int = 200,
               **context: object) -> Response:
    try:
        view = items.item(verify_context(request), item_id[:64])
    except StoreError:
        return render(request, session, "error.html", 404, title="Not found",
                      message="There is no such verification.")
    return render(request, session, "verify/review_item.html", status, item=view,
                  outcomes=OUTCOME_TEXT, **context)


@router.get("/items/{item_id}")
def item_page(request: Request, item_id: str) -> Response:
    """One upload's outcome and masked values, with the decision form."""
    session, denied = current(request)
    if denied:
        return denied
    return _item_page(request, session, item_id)


@router.post("/items/{item_id}/decide")
async def decide(request: Request, item_id: str) -> Response:
    """Verified or rejected with a mandatory reason; the upload is purged."""
    session, denied = current(request)
    if denied:
        return denied
    form = await request.form()
    if not session.csrf_ok(str(form.get("csrf", ""))):
        return _item_page(request, session, item_id, 400,
                          error="The form expired; please try again.")
    decision, reason = str(form.get("decision", "")), str(form.get("reason", ""))[:2000]
    if decision not in items.DECISIONS or not reason.strip():
        return _item_page(request, session, item_id, 400,
                          error="Choose verified or rejected and give a reason.")
    try:
        await run_in_threadpool(items.decide, verify_context(request), item_id[:64], decision,
                                actor=f"web:{session.user}", reason=reason)
    except StoreError as error:
        return _item_page(request, session, item_id, 409, error=str(error))
    return redirect(f"/ui/verify/items/{item_id[:64]}")


@router.get("/decisions.csv")
def decisions(request: Request) -> Response:
    """Every decision as CSV for the order system."""
    _session, denied = current(request)
    if denied:
        return denied
    headers = {**SECURITY_HEADERS, "Content-Disposition": 'attachment; filename="decisions.csv"'}
    text, _count = items.decisions_csv(verify_context(request))
    return Response(text, media_type="text/csv", headers=headers)
