"""Quarantine review over JSON: list with filters and counts, show, release, discard."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from crossguard.api.auth import Reviewer
from crossguard.api.responses import errors
from crossguard.api.schemas import Decision, DecisionOut, HeldDetail, HeldOut, QuarantineList
from crossguard.service import queue
from crossguard.service.state import app_state

router = APIRouter(prefix="/v1/quarantine", tags=["quarantine"])

EntryId = Annotated[str, Path(min_length=1, max_length=64, description="Quarantine entry id.")]


@router.get("", response_model=QuarantineList, responses=errors())
def list_entries(
    request: Request,
    _principal: Reviewer,
    state: Annotated[Literal["held", "released", "discarded", "all"],
                     Query(description="Entry state.")] = "held",
    rule: Annotated[str | None, Query(max_length=64, description="Only entries where this "
                                                                "rule fired.")] = None,
    sender: Annotated[str | None, Query(max_length=320, description="Envelope sender "
                                                                   "contains this.")] = None,
    max_age_hours: Annotated[float | None, Query(gt=0, le=1e6, description="Only entries "
                                                 "younger than this.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> QuarantineList:
    """Quarantine entries, newest first, with counts by rule and by state."""
    wanted = queue.QueueFilter(None if state == "all" else state, rule or None, sender or None,
                               max_age_hours)
    page = queue.queue(app_state(request).store, wanted, limit)
    return QuarantineList(
        entries=[HeldOut.model_validate(entry.as_dict()) for entry in page.entries],
        total=page.total, by_rule=page.by_rule, by_state=page.by_state,
    )


@router.get("/{entry_id}", response_model=HeldDetail, responses=errors(404))
def show_entry(request: Request, _principal: Reviewer, entry_id: EntryId) -> HeldDetail:
    """One entry with its masked verdict."""
    return HeldDetail.model_validate(queue.entry(app_state(request).store, entry_id).as_dict())


async def _decide(request: Request, actor: str, entry_id: str, decision: str,
                  reason: str) -> DecisionOut:
    state = app_state(request)
    spool_id = await run_in_threadpool(queue.decide, state.store, state.metrics, entry_id,
                                       decision, actor=actor, reason=reason)
    return DecisionOut(id=entry_id, state="released" if decision == "release" else "discarded",
                       spool_id=spool_id)


@router.post("/{entry_id}/release", response_model=DecisionOut, responses=errors(400, 404, 409))
async def release_entry(request: Request, principal: Reviewer, entry_id: EntryId,
                        decision: Decision) -> DecisionOut:
    """Release a held message: queued for the gateway's relay worker; audited with the reason."""
    return await _decide(request, principal.actor, entry_id, "release", decision.reason)


@router.post("/{entry_id}/discard", response_model=DecisionOut, responses=errors(400, 404, 409))
async def discard_entry(request: Request, principal: Reviewer, entry_id: EntryId,
                        decision: Decision) -> DecisionOut:
    """Discard a held message for good; audited with the reason."""
    return await _decide(request, principal.actor, entry_id, "discard", decision.reason)
