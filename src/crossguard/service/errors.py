"""Request errors of the HTTP front ends: each carries its HTTP status and a stable code.

They name no personal data; the JSON API answers them as ``{"error": ...}``,
the dashboard as a page.
"""

from __future__ import annotations

from crossguard.errors import CrossguardError


class NotFound(CrossguardError):
    """The addressed resource does not exist."""

    http_status = 404
    code = "not_found"


class Conflict(CrossguardError):
    """The resource is not in a state that allows the request."""

    http_status = 409
    code = "conflict"


class Unauthorized(CrossguardError):
    """No valid credentials were given."""

    http_status = 401
    code = "unauthorized"


class Forbidden(CrossguardError):
    """The credentials are valid but their role is too low."""

    http_status = 403
    code = "forbidden"


class BadRequest(CrossguardError):
    """The request is malformed."""

    http_status = 400
    code = "bad_request"


class PayloadTooLarge(CrossguardError):
    """The request body is over ``api.max_body_bytes``."""

    http_status = 413
    code = "payload_too_large"


class UnsupportedMediaType(CrossguardError):
    """The request body has a content type the endpoint does not read."""

    http_status = 415
    code = "unsupported_media_type"
