"""The customer's upload page: one signed link, one upload, a clear answer for everything else.

Server-rendered and usable without JavaScript. The form carries a CSRF token
bound to the browser session and to the link's item. The body is read into
memory under ``verify.max_upload_bytes`` and checked by content before anything
is stored; a refused upload leaves nothing behind. After a successful upload
the page (and any reload of it) says "received".
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from crossguard.service.state import app_state
from crossguard.verify import items, links
from crossguard.verify.base import VerifyContext, for_app
from crossguard.verify.intake import (
    FORM_OVERHEAD,
    UploadRefused,
    check_document,
    parse_form,
    read_body,
)
from crossguard.web.pages import codec, redirect, render

router = APIRouter(prefix="/verify", include_in_schema=False)
log = logging.getLogger("crossguard.verify")


def verify_context(request: Request) -> VerifyContext:
    """The verification context of the app serving ``request``."""
    return for_app(app_state(request))[0]

#: Status and template of each link state that cannot take an upload.
_CLOSED = {
    items.USED: (200, "verify/received.html"),
    items.GONE: (410, "verify/gone.html"),
    items.INVALID: (404, "verify/invalid.html"),
}


def _page(request: Request, template: str, status: int = 200, **context: object) -> Response:
    session = codec(app_state(request)).load(request)
    return render(request, session, template, status, **context)


@router.get("")
def landing(request: Request) -> Response:
    """Where sensitive_request points senders: how verification links work."""
    return _page(request, "verify/landing.html")


def _form(request: Request, token: str, item_id: str, status: int = 200,
          refused: str | None = None) -> Response:
    state = app_state(request)
    session = codec(state).load(request)
    ctx = verify_context(request)
    return render(request, session, "verify/upload.html", status, token=token,
                  form_token=links.form_token(ctx.key, session.csrf, item_id), refused=refused,
                  settings=state.settings.verify,
                  max_mb=state.settings.verify.max_upload_bytes / 1_000_000)


@router.get("/{token}")
def upload_page(request: Request, token: str) -> Response:
    """The upload form while the link is open; "received", "expired" or "not valid" after."""
    link = items.status(verify_context(request), token[:100])
    if link.status != items.OPEN or link.item_id is None:
        status, template = _CLOSED[link.status]
        return _page(request, template, status)
    return _form(request, token, link.item_id)


@router.post("/{token}")
async def upload(request: Request, token: str) -> Response:
    """Take one document: CSRF, size, type and image limits checked, then stored encrypted."""
    state, ctx = app_state(request), verify_context(request)
    token = token[:100]
    link = items.status(ctx, token)
    limit = state.settings.verify.max_upload_bytes
    early: UploadRefused | None = None
    try:
        body = await read_body(request.stream(), limit + FORM_OVERHEAD)
    except UploadRefused as refused:
        body, early = b"", refused
    if link.status != items.OPEN or link.item_id is None:
        if link.status == items.USED:
            return _page(request, "verify/received.html", 409, again=True)
        status, template = _CLOSED[link.status]
        return _page(request, template, status)
    session = codec(state).load(request)
    try:
        if early is not None:
            raise early
        form = await run_in_threadpool(parse_form, request.headers.get("content-type", ""),
                                       body)
        if not links.form_ok(ctx.key, session.csrf, link.item_id, form.csrf):
            raise UploadRefused("expired_form", 400)
        if len(form.data) > limit:
            raise UploadRefused("too_large", 413)
        kind = await run_in_threadpool(check_document, form.data, state.settings.images,
                                       state.settings.parse)
    except UploadRefused as refused:
        await run_in_threadpool(items.refused, ctx, link.item_id, refused.kind)
        return _form(request, token, link.item_id, refused.status, refused.kind)
    confirmed = {"yes": True, "no": False}.get(form.address)
    item_id = await run_in_threadpool(items.accept, ctx, token, form.data, kind, confirmed)
    if item_id is None:
        return _page(request, "verify/received.html", 409, again=True)
    try:
        await run_in_threadpool(items.read, ctx, item_id, for_app(state)[1])
    except Exception as error:  # stored: a reviewer sees it unread; the customer is done
        log.error("verification upload not read (%s)", type(error).__name__)
    return redirect(f"/verify/{token}")
