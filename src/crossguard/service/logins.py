"""Dashboard logins under attack: a bounded number of password checks, throttled and audited.

argon2 takes 64 MiB and tens of milliseconds per check, so a login flood once
grew the API to 2.5 GB and starved ``/v1/check``. Checks now run
``api.login_workers`` at a time with a bounded queue; failures per client
address and per account are counted in a window, answered after a doubling
delay, and past ``api.login_max_failures`` refused with 429 without checking.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from crossguard.config import Settings
from crossguard.core.failures import FailureLog

#: Longest delay before answering a failed login, in seconds.
MAX_DELAY = 30.0


class LoginThrottle:
    """Per-app state: the password-check slots and the recent failures."""

    def __init__(self, settings: Settings) -> None:
        api = settings.api
        self._limit = api.login_max_failures
        self._base_delay = api.login_failure_delay_seconds
        self._failures = FailureLog(api.login_failure_window_seconds)
        self._slots = asyncio.Semaphore(api.login_workers)
        self._waiting = 0
        self._max_waiting = 8 * api.login_workers

    @staticmethod
    def _keys(client: str, user: str) -> tuple[str, str]:
        return f"client:{client}", f"account:{user.casefold()}"

    def refused(self, client: str, user: str) -> str | None:
        """Why this attempt is refused before any password check, or None."""
        if max(self._failures.count(key) for key in self._keys(client, user)) >= self._limit:
            return "throttled"
        if self._waiting >= self._max_waiting:
            return "busy"
        return None

    async def check(self, verify: Callable[[], Awaitable[bool]]) -> bool:
        """Run one password check in a slot (the caller ran :meth:`refused` first)."""
        self._waiting += 1
        try:
            async with self._slots:
                return await verify()
        finally:
            self._waiting -= 1

    def failed(self, client: str, user: str) -> float:
        """Count a failure; the seconds to wait before answering it."""
        failures = max(self._failures.add(key) for key in self._keys(client, user))
        if self._base_delay <= 0:
            return 0.0
        return float(min(MAX_DELAY, self._base_delay * 2 ** (failures - 1)))
