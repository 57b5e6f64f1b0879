"""Audit trail and chain verification, index stats, metrics, liveness and readiness."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from crossguard.api.auth import Admin, Reviewer, authorize, bearer_token
from crossguard.api.responses import errors
from crossguard.api.schemas import AuditEntryOut, AuditList, ChainOut, Health
from crossguard.service.errors import NotFound
from crossguard.service.state import app_state

router = APIRouter()


@router.get("/v1/audit", response_model=AuditList, responses=errors(), tags=["audit"])
def audit_entries(
    request: Request,
    _principal: Reviewer,
    after: Annotated[int, Query(ge=0, le=2**62, description="Entries after this seq.")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> AuditList:
    """Audit entries after ``after``, oldest first (payloads hold masked values only)."""
    rows = app_state(request).store.audit.entries(limit=limit, after=after)
    return AuditList(entries=[
        AuditEntryOut(seq=row.seq, ts=row.ts, actor=row.actor, event=row.event,
                      payload=json.loads(row.payload), hash=row.hash)
        for row in rows
    ])


@router.get("/v1/audit/verify", response_model=ChainOut, responses=errors(), tags=["audit"])
def audit_verify(request: Request, _principal: Reviewer) -> ChainOut:
    """Walk the hash chain from the start; ``ok`` false names the first bad entry."""
    report = app_state(request).store.audit.verify()
    return ChainOut(ok=report.ok, entries=report.entries, first_bad=report.first_bad,
                    problem=report.problem, head_seq=report.head_seq)


@router.get("/v1/index/stats", responses=errors(404), tags=["index"])
def index_stats(request: Request, _principal: Admin) -> dict[str, Any]:
    """Counts and sizes of the customer index (no identifiers)."""
    index = app_state(request).guard.index
    if index is None:
        raise NotFound("no customer index is configured")
    return index.stats()


@router.get(
    "/metrics", tags=["ops"], response_class=Response, responses={
        200: {"content": {"text/plain": {"schema": {"type": "string"}}},
              "description": "Prometheus text exposition."},
        **errors(),
    },
)
def metrics(request: Request) -> Response:
    """Prometheus metrics: messages checked, actions by rule, check latency."""
    state = app_state(request)
    if not state.settings.api.metrics_public:
        authorize(request, bearer_token(request), "reviewer")
    return Response(state.metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8")


@router.get("/healthz", response_model=Health, tags=["ops"])
def healthz() -> Health:
    """The process is up."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, tags=["ops"],
            responses={503: {"model": Health, "description": "Not ready."}})
def readyz(request: Request) -> Any:
    """The store answers and the guard is loaded."""
    state = app_state(request)
    checks = {"guard": "ok", "index": "ok" if state.guard.index is not None else "none"}
    try:
        with state.store.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        checks["store"] = "ok"
    except SQLAlchemyError as error:
        checks["store"] = type(error).__name__
        return JSONResponse(Health(status="unavailable", checks=checks).model_dump(),
                            status_code=503)
    return Health(status="ok", checks=checks)
