"""One place that turns every failure into ``{"error": {"code", "message"}}``.

CrossguardError subclasses answer with their own ``http_status`` and ``code``;
request validation answers 422 naming the fields (never the values); anything
else answers a bare 500. Messages never carry a matched value.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crossguard.errors import CrossguardError

log = logging.getLogger("crossguard.api")


class ErrorDetail(BaseModel):
    """A stable machine-readable code and a message naming no personal data."""

    code: str
    message: str


class ErrorBody(BaseModel):
    """Every error response."""

    error: ErrorDetail


def error_response(status: int, code: str, message: str,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    """The JSON error body with ``status``."""
    body = {"error": {"code": code, "message": message}}
    return JSONResponse(body, status_code=status, headers=headers)


def validation_message(errors: list[Any]) -> str:
    """Which fields are wrong and why, without the submitted values."""
    parts = []
    for error in errors[:5]:
        where = ".".join(str(item) for item in error.get("loc", ()))
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def _crossguard(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, CrossguardError)
    message = str(error) if error.args else type(error).__name__
    headers = {"WWW-Authenticate": "Bearer"} if error.http_status == 401 else None
    return error_response(error.http_status, error.code, message, headers)


def _validation(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError | ValidationError)
    return error_response(422, "invalid_request", validation_message(list(error.errors())))


def _http(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    codes = {404: "not_found", 405: "method_not_allowed"}
    return error_response(error.status_code, codes.get(error.status_code, "http_error"),
                          str(error.detail), dict(error.headers or {}))


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers and the last-resort 500 middleware."""
    app.add_exception_handler(CrossguardError, _crossguard)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(ValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_middleware(LastResort)


class LastResort:
    """Answer 500 ``internal_error`` for any unexpected exception; log only its type.

    Starlette's own server-error handler re-raises, and the server then logs a
    traceback whose message could quote request data: this stops it here.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as error:
            log.error("internal error on %s %s: %s", scope.get("method"), scope.get("path"),
                      type(error).__name__)
            if not started:
                response = error_response(500, "internal_error", "internal error")
                await response(scope, receive, send)
