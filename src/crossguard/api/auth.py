"""Bearer-token authentication with nested roles (admin ⊇ reviewer ⊇ checker)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param

from crossguard.service.errors import Forbidden, Unauthorized
from crossguard.service.state import app_state
from crossguard.store.access import Principal

bearer = HTTPBearer(
    auto_error=False,
    description="A token from `crossguard token create --role checker|reviewer|admin`.",
)

Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def authorize(request: Request, token: str | None, role: str) -> Principal:
    """The principal behind ``token`` if its role includes ``role``; else 401 or 403."""
    if not token:
        raise Unauthorized("a bearer token is required")
    principal = app_state(request).access.authenticate_token(token)
    if principal is None:
        raise Unauthorized("the bearer token is not valid")
    if not principal.has(role):
        raise Forbidden(f"this needs the {role} role")
    return principal


def bearer_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer`` header, if any."""
    scheme, token = get_authorization_scheme_param(request.headers.get("authorization"))
    return token if scheme.lower() == "bearer" and token else None


def require(role: str) -> Callable[[Request, HTTPAuthorizationCredentials | None], Principal]:
    """A dependency that admits a token whose role includes ``role``."""

    def dependency(request: Request, credentials: Credentials) -> Principal:
        return authorize(request, credentials.credentials if credentials else None, role)

    return dependency


Checker = Annotated[Principal, Depends(require("checker"))]
Reviewer = Annotated[Principal, Depends(require("reviewer"))]
Admin = Annotated[Principal, Depends(require("admin"))]
