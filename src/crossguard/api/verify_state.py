"""The verification context and document reader of one running app (made on first use)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request

from crossguard.api.state import app_state
from crossguard.verify.base import VerifyContext
from crossguard.verify.reading import Reading, read_document

Reader = Callable[[str, bytes, str], Reading]


def verify_context(request: Request) -> VerifyContext:
    """This app's VerifyContext (the store, the upload cipher, the link key)."""
    context: VerifyContext | None = getattr(request.app.state, "verify", None)
    if context is None:
        state = app_state(request)
        context = VerifyContext.of(state.store, state.settings.secret_key(), state.settings.verify)
        request.app.state.verify = context
    return context


def reader(request: Request) -> Reader:
    """Read an upload with this app's guard and settings."""
    state = app_state(request)

    def read(customer_id: str, data: bytes, kind: str) -> Reading:
        return read_document(state.guard, state.settings, customer_id, data, kind)

    return read
