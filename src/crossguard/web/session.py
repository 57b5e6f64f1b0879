"""Dashboard sessions: a signed cookie holding a CSRF token and, once logged in, a session id.

The cookie is signed with itsdangerous (timestamped, expires after
``api.session_seconds`` from login), HttpOnly, SameSite=Strict and Secure unless
``api.secure_cookies`` is off. Every session, logged in or not, carries a random
CSRF token that each form echoes and every POST checks. Logging in issues a
fresh session (no fixation) whose id must also be live in the store
(:mod:`crossguard.store.web_sessions`): logout, a deleted user or a new password
end it at once, and neither the signing secret nor an old cookie brings it back.
"""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

COOKIE = "cg_session"


@dataclass(frozen=True, slots=True)
class WebSession:
    """One browser's session: its CSRF token and, once logged in, the user."""

    csrf: str
    user: str | None = None
    login_at: float = 0.0
    #: The server-side session id (:class:`crossguard.store.web_sessions.WebSessions`).
    sid: str | None = None

    @classmethod
    def fresh(cls, user: str | None = None, sid: str | None = None) -> WebSession:
        """A new session with a new CSRF token."""
        return cls(secrets.token_urlsafe(32), user, time.time() if user else 0.0, sid)

    def csrf_ok(self, submitted: str | None) -> bool:
        """Whether a submitted form token matches this session's."""
        return bool(submitted) and hmac.compare_digest(self.csrf, str(submitted))


class SessionCodec:
    """Read and write the session cookie."""

    def __init__(self, secret: bytes, max_age: int, secure: bool) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="crossguard.dashboard.session")
        self.max_age = max_age
        self.secure = secure

    def load(self, request: Request) -> WebSession:
        """The request's session, or a fresh anonymous one if absent, forged or expired."""
        raw = request.cookies.get(COOKIE)
        if raw:
            try:
                data = self._serializer.loads(raw, max_age=self.max_age)
                session = WebSession(str(data["c"]), data.get("u"), float(data.get("t", 0.0)),
                                     data.get("s"))
            except (BadSignature, KeyError, TypeError, ValueError):
                return WebSession.fresh()
            if session.user is None or time.time() - session.login_at <= self.max_age:
                return session
        return WebSession.fresh()

    def save(self, response: Response, session: WebSession) -> None:
        """Set the cookie on ``response``."""
        value = self._serializer.dumps({"c": session.csrf, "u": session.user,
                                        "t": session.login_at, "s": session.sid})
        response.set_cookie(COOKIE, value, max_age=self.max_age, path="/", secure=self.secure,
                            httponly=True, samesite="strict")

    def clear(self, response: Response) -> None:
        """Remove the cookie."""
        response.delete_cookie(COOKIE, path="/", secure=self.secure, httponly=True,
                               samesite="strict")
