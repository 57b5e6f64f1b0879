"""What one running app holds: settings, the store, the guard, access control, metrics."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from fastapi import Request

from crossguard.config import Settings, check_private
from crossguard.errors import ConfigError
from crossguard.scan import Guard
from crossguard.service.logins import LoginThrottle
from crossguard.service.metrics import Metrics
from crossguard.store.access import Access
from crossguard.store.store import Store


@dataclass(slots=True)
class AppState:
    """The objects every request handler reads."""

    settings: Settings
    store: Store
    guard: Guard
    access: Access
    metrics: Metrics
    session_secret: bytes
    logins: LoginThrottle = field(init=False)

    def __post_init__(self) -> None:
        self.logins = LoginThrottle(self.settings)


def session_secret(settings: Settings) -> bytes:
    """The key that signs dashboard cookies: the configured file, else random per process.

    It is never derived from the index key: holding that key must not let anyone
    sign a reviewer's cookie. (A logged-in cookie also needs a live server-side
    session, so the signature alone never makes one.)
    """
    path = settings.api.session_secret_file
    if path is None:
        return secrets.token_bytes(32)
    check_private(path, "session secret file", allow=settings.allow_insecure_key_permissions)
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        raise ConfigError(f"{path}: cannot read a hex session secret") from None


def app_state(request: Request) -> AppState:
    """The AppState of the app serving ``request``."""
    state: AppState = request.app.state.crossguard
    return state
