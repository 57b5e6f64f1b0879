"""Rendering helpers for the dashboard: templates, security headers, session and login checks."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from crossguard.service.state import AppState, app_state
from crossguard.web.session import SessionCodec, WebSession

HERE = Path(__file__).parent
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
                               "img-src 'self'; frame-ancestors 'none'; form-action 'self'; "
                               "base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _when(ts: float | None) -> str:
    if ts is None:
        return "-"
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


environment = Environment(
    loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
    trim_blocks=True, lstrip_blocks=True,
)
environment.filters["when"] = _when


def codec(state: AppState) -> SessionCodec:
    """The session codec of this app."""
    api = state.settings.api
    return SessionCodec(state.session_secret, api.session_seconds, api.secure_cookies)


def render(request: Request, session: WebSession, template: str, status: int = 200,
           **context: Any) -> HTMLResponse:
    """A page with the session cookie and security headers set."""
    state = app_state(request)
    html = environment.get_template(template).render(
        csrf=session.csrf, user=session.user, path=request.url.path, **context
    )
    response = HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)
    codec(state).save(response, session)
    return response


def redirect(url: str, session: WebSession | None = None, state: AppState | None = None
             ) -> RedirectResponse:
    """A 303 to ``url``, saving ``session`` when given."""
    response = RedirectResponse(url, status_code=303, headers=SECURITY_HEADERS)
    if session is not None and state is not None:
        codec(state).save(response, session)
    return response


def current(request: Request) -> tuple[WebSession, Response | None]:
    """The session, and a response to send instead when the user may not see review pages."""
    state = app_state(request)
    session = codec(state).load(request)
    if session.user is not None and state.store.web_sessions.user(session.sid) != session.user:
        ended = WebSession.fresh()
        return ended, render(request, ended, "login.html", 401,
                             error="Your session has ended; please log in again.")
    role = state.access.user_role(session.user) if session.user else None
    if role is None:
        return WebSession.fresh(), redirect("/ui/login")
    if role not in ("reviewer", "admin"):
        return session, render(request, session, "error.html", 403,
                               title="Forbidden", message="Reviewing needs the reviewer role.")
    return session, None
