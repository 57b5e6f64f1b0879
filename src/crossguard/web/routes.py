"""The review dashboard: login, quarantine queue, message view, decisions, audit.

Every page works without JavaScript (plain links and forms, POST-redirect-GET);
htmx only boosts navigation, and swaps 4xx pages too so that errors show. Every
POST checks the session's CSRF token. Release and discard take effect only from
a confirmation page that lists the recipients (:mod:`crossguard.web.confirm`).
"""

from __future__ import annotations

import asyncio
import re

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from crossguard.core.mask import mask_email
from crossguard.service import queue
from crossguard.service.errors import BadRequest, Conflict, NotFound
from crossguard.service.state import AppState, app_state
from crossguard.web import view
from crossguard.web.confirm import confirmation
from crossguard.web.pages import codec, current, redirect, render
from crossguard.web.session import WebSession

router = APIRouter(prefix="/ui", include_in_schema=False)


def _float(value: str | None) -> float | None:
    try:
        number = float(value) if value else None
    except ValueError:
        return None
    return number if number is not None and 0 < number < 1e6 else None


@router.get("")
def home() -> Response:
    """The queue is the home page."""
    return redirect("/ui/quarantine")


@router.get("/login")
def login_page(request: Request) -> Response:
    """The login form."""
    return render(request, codec(app_state(request)).load(request), "login.html")


@router.post("/login")
async def login(request: Request) -> Response:
    """Check the CSRF token and the password; start a fresh session."""
    state = app_state(request)
    session = codec(state).load(request)
    form = await request.form()
    if not session.csrf_ok(str(form.get("csrf", ""))):
        return render(request, WebSession.fresh(), "login.html", 400,
                      error="The form expired; please try again.")
    name, password = str(form.get("username", "")), str(form.get("password", ""))
    client = request.client.host if request.client else "-"
    refused = state.logins.refused(client, name)
    if refused is not None:
        await _login_failed(state, client, name, refused)
        return render(request, session, "login.html", 429,
                      error="Too many failed logins; try again later.")

    async def verify() -> bool:
        return await run_in_threadpool(state.access.login, name, password) is not None

    if not await state.logins.check(verify):
        await _login_failed(state, client, name, "invalid")
        await asyncio.sleep(state.logins.failed(client, name))
        return render(request, session, "login.html", 401, error="Wrong name or password.")
    state.store.audit.record(f"web:{name}", "web.login", {"user": name})
    sid = await run_in_threadpool(state.store.web_sessions.start, name,
                                  state.settings.api.session_seconds)
    return redirect("/ui/quarantine", WebSession.fresh(name, sid), state)


async def _login_failed(state: AppState, client: str, user: str, reason: str) -> None:
    """Audit one failed or refused login (staff name and client address; never the password)."""
    await run_in_threadpool(state.store.audit.record, "web:-", "web.login_failed",
                            {"user": mask_email(user[:100]), "client": client, "reason": reason})


@router.post("/logout")
async def logout(request: Request) -> Response:
    """End the session (CSRF-checked so that other sites cannot log a reviewer out)."""
    state = app_state(request)
    session = codec(state).load(request)
    form = await request.form()
    if not session.csrf_ok(str(form.get("csrf", ""))):
        return render(request, session, "error.html", 400, title="Bad request",
                      message="The form expired; please try again.")
    await run_in_threadpool(state.store.web_sessions.end, session.sid)
    if session.user:
        state.store.audit.record(f"web:{session.user}", "web.logout", {"user": session.user})
    response = redirect("/ui/login")
    codec(state).clear(response)
    return response


@router.get("/quarantine")
def queue_page(request: Request, state: str = "held", rule: str = "", sender: str = "",
               max_age_hours: str = "") -> Response:
    """Held messages with filters by rule, sender and age, and counts."""
    session, denied = current(request)
    if denied:
        return denied
    wanted_state = state if state in (*queue.STATES, "all") else "held"
    wanted = queue.QueueFilter(None if wanted_state == "all" else wanted_state,
                               rule[:64] or None, sender[:320] or None, _float(max_age_hours))
    page = queue.queue(app_state(request).store, wanted, limit=200)
    return render(request, session, "queue.html", page=page, state=wanted_state, rule=rule,
                  sender=sender, max_age_hours=max_age_hours)


def _message_page(request: Request, session: WebSession, entry_id: str, status: int = 200,
                  **context: object) -> Response:
    state = app_state(request)
    try:
        entry = queue.entry(state.store, entry_id[:64])
    except NotFound:
        return render(request, session, "error.html", 404, title="Not found",
                      message="There is no such quarantine entry.")
    page = view.build(state.settings.parse, state.store, entry, state.guard.mask_name)
    return render(request, session, "message.html", status, view=page, **context)


@router.get("/quarantine/{entry_id}")
def message_page(request: Request, entry_id: str, done: str = "") -> Response:
    """One held message: headers, parts, findings (masked), rules, customers, decision form."""
    session, denied = current(request)
    if denied:
        return denied
    return _message_page(request, session, entry_id,
                         done=done if done in ("released", "discarded") else "")


@router.post("/quarantine/{entry_id}/decide")
async def decide(request: Request, entry_id: str) -> Response:
    """Release or discard with a mandatory reason; audited as the logged-in user."""
    session, denied = current(request)
    if denied:
        return denied
    form = await request.form()
    if not session.csrf_ok(str(form.get("csrf", ""))):
        return _message_page(request, session, entry_id, 400,
                             error="The form expired; please try again.")
    decision, reason = str(form.get("decision", "")), str(form.get("reason", ""))
    if decision not in ("release", "discard"):
        return _message_page(request, session, entry_id, 400, error="Choose release or discard.")
    state = app_state(request)
    if form.get("confirmed") != "yes":
        return _confirmation(request, session, entry_id, decision, reason[:2000])
    try:
        await run_in_threadpool(queue.decide, state.store, state.metrics, entry_id, decision,
                                actor=f"web:{session.user}", reason=reason[:2000])
    except (BadRequest, Conflict, NotFound) as error:
        return _message_page(request, session, entry_id, error.http_status, error=str(error),
                             reason=reason)
    done = "released" if decision == "release" else "discarded"
    return redirect(f"/ui/quarantine/{entry_id}?done={done}")


def _confirmation(request: Request, session: WebSession, entry_id: str, decision: str,
                  reason: str) -> Response:
    """The page that lists who would receive the message before the decision is taken."""
    state = app_state(request)
    try:
        held = queue.entry(state.store, entry_id[:64])
    except NotFound:
        return render(request, session, "error.html", 404, title="Not found",
                      message="There is no such quarantine entry.")
    if not re.search(queue.REASON, reason):
        return _message_page(request, session, entry_id, 400, error="a reason is required",
                             reason=reason)
    if held.state != "held":
        return _message_page(request, session, entry_id, 409,
                             error=f"quarantine entry {entry_id} is already {held.state}")
    page = confirmation(held, decision, state.settings.policy.company_domains)
    return render(request, session, "confirm.html", entry=held, confirm=page, reason=reason)


@router.get("/audit")
def audit_page(request: Request, after: int = 0, limit: int = 100) -> Response:
    """Audit entries with the chain's verification status."""
    session, denied = current(request)
    if denied:
        return denied
    store = app_state(request).store
    limit = min(max(limit, 1), 500)
    entries = store.audit.entries(limit=limit, after=max(after, 0))
    return render(request, session, "audit.html", entries=entries, chain=store.audit.verify(),
                  after=after, limit=limit)
