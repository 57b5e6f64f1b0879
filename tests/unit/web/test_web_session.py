"""Dashboard session cookies: signed, expiring, CSRF-carrying."""

from __future__ import annotations

import time

from starlette.requests import Request
from starlette.responses import Response

from crossguard.web.session import COOKIE, SessionCodec, WebSession


def request_with(cookie: str | None) -> Request:
    headers = [(b"cookie", f"{COOKIE}={cookie}".encode())] if cookie else []
    return Request({"type": "http", "method": "GET", "path": "/", "headers": headers})


def cookie_of(codec: SessionCodec, session: WebSession) -> tuple[str, str]:
    response = Response()
    codec.save(response, session)
    header = response.headers["set-cookie"]
    return header.split(";", 1)[0].split("=", 1)[1], header.lower()


def test_round_trip_and_cookie_flags() -> None:
    codec = SessionCodec(b"k" * 32, 3600, secure=True)
    session = WebSession.fresh("rita")
    value, header = cookie_of(codec, session)
    assert codec.load(request_with(value)) == session
    assert "httponly" in header and "samesite=strict" in header and "secure" in header


def test_forged_and_foreign_cookies_give_a_fresh_anonymous_session() -> None:
    codec = SessionCodec(b"k" * 32, 3600, secure=False)
    value, _ = cookie_of(codec, WebSession.fresh("rita"))
    other = SessionCodec(b"o" * 32, 3600, secure=False)
    tampered = value[:-2] + ("AA" if not value.endswith("AA") else "BB")
    for cookie in (tampered, "garbage", cookie_of(other, WebSession.fresh("rita"))[0]):
        loaded = codec.load(request_with(cookie))
        assert loaded.user is None and loaded.csrf


def test_a_login_expires() -> None:
    codec = SessionCodec(b"k" * 32, 60, secure=False)
    old = WebSession("token", "rita", time.time() - 120)
    value, _ = cookie_of(codec, old)
    assert codec.load(request_with(value)).user is None


def test_csrf_check() -> None:
    session = WebSession.fresh()
    assert session.csrf_ok(session.csrf)
    assert not session.csrf_ok("") and not session.csrf_ok(None)
    assert not session.csrf_ok(session.csrf + "x")
    assert WebSession.fresh().csrf != session.csrf
