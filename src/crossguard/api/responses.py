"""The error responses each operation documents in OpenAPI."""

from __future__ import annotations

from typing import Any

from crossguard.api.errors import ErrorBody

_TEXT = {
    400: "Malformed request.",
    401: "No valid bearer token.",
    403: "The token's role is too low.",
    404: "No such resource.",
    409: "The entry is not held any more.",
    413: "The body is too large.",
    415: "Unsupported content type.",
    422: "A field is missing or invalid.",
    500: "Internal error (no details are given).",
    503: "The store or the index is unavailable.",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for these error statuses (always with 401, 403, 422, 500, 503)."""
    wanted = sorted({*statuses, 401, 403, 422, 500, 503})
    return {status: {"model": ErrorBody, "description": _TEXT[status]} for status in wanted}
