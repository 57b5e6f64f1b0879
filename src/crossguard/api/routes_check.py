"""``POST /v1/check``: a raw message/rfc822 body or a JSON description, checked by the Guard."""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from crossguard.api.auth import Checker
from crossguard.api.compose import compose
from crossguard.api.envelope import checked_recipients, json_envelope, query_envelope
from crossguard.api.responses import errors
from crossguard.api.schemas import ADDRESS, CheckRequest, CheckResponse
from crossguard.service.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType
from crossguard.service.state import AppState, app_state
from crossguard.store.access import Principal

router = APIRouter(tags=["check"])
#: The request bodies ``/v1/check`` documents; anything else is 415.
MEDIA_TYPES = ("message/rfc822", "application/json")

REQUEST_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "message/rfc822": {"schema": {"type": "string", "format": "binary", "minLength": 1}},
        "application/json": {"schema": {"$ref": "#/components/schemas/CheckRequest"}},
    },
}


async def _read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing more than ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"the body is over {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"the body is over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


@router.post(
    "/v1/check", response_model=CheckResponse, openapi_extra={"requestBody": REQUEST_BODY},
    responses=errors(400, 413, 415), summary="Check one outbound message",
)
async def check(
    request: Request,
    principal: Checker,
    mail_from: Annotated[str | None, Query(
        description="Envelope sender (bare local@domain).",
        json_schema_extra={"pattern": ADDRESS})] = None,
    rcpt: Annotated[list[str] | None, Query(
        description="Envelope recipient (repeat; bare local@domain).",
        json_schema_extra={"items": {"type": "string", "pattern": ADDRESS}})] = None,
    hold: Annotated[bool, Query(description="Quarantine the message when the verdict "
                                            "is quarantine.")] = False,
) -> CheckResponse:
    """Check a message; ``message/rfc822`` takes the envelope from the query parameters.

    A JSON body is assembled into MIME; its envelope defaults to ``from`` and
    ``to + cc + bcc``. Envelope addresses must be bare addresses (400 naming
    the parameter otherwise); any other Content-Type is 415. With
    ``hold=true`` a quarantine verdict stores the message (encrypted) in the
    quarantine for review, with exactly the envelope it was checked with.
    """
    state = app_state(request)
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in MEDIA_TYPES:
        raise UnsupportedMediaType("send message/rfc822 or application/json")
    mail_from, rcpts = query_envelope(mail_from, rcpt or [])
    body = await _read_body(request, state.settings.api.max_body_bytes)
    if media == "application/json":
        described = CheckRequest.model_validate_json(body)
        raw = compose(described)
        sender, implied = json_envelope(described)
        mail_from, rcpts = mail_from or sender, rcpts or implied
    else:
        raw = body
    return await run_in_threadpool(_check_and_act, state, principal, raw, mail_from, rcpts, hold)


def _check_and_act(state: AppState, principal: Principal, raw: bytes, mail_from: str | None,
                   rcpts: list[str], hold: bool) -> CheckResponse:
    """Run the Guard, count it, audit it, quarantine it if asked."""
    started = time.perf_counter()
    evaluation = state.guard.evaluate(raw, mail_from=mail_from, rcpts=rcpts)
    verdict = evaluation.verdict
    state.metrics.observe(verdict, time.perf_counter() - started)
    checked = checked_recipients(evaluation.message, rcpts)
    if hold and verdict.held and not checked:
        raise BadRequest("rcpt: a held message needs a recipient (rcpt, or To/Cc)")
    quarantine_id = state.store.record(
        verdict, raw, mail_from=mail_from or "", rcpts=checked, actor=principal.actor,
        event="api.check", hold=hold, audit=state.settings.api.audit_checks,
    )
    return CheckResponse.model_validate({"verdict": verdict.as_dict(),
                                         "quarantine_id": quarantine_id})
