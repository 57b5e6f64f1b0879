"""SMTP AUTH checked off the event loop, throttled per client and per account, audited.

argon2 verification runs in a small thread pool (``gateway.auth_workers``),
so other clients' commands are answered while a password is checked. Each
failure is audited (``auth.failed``: client address, masked account) and
answered after a delay that doubles per recent failure; past
``gateway.auth_max_failures`` failures of a client address or of an account
within ``gateway.auth_failure_window_seconds``, AUTH is answered
``454 4.7.0`` without checking the password.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from aiosmtpd.smtp import AuthResult, LoginPassword

from crossguard.core.failures import FailureLog
from crossguard.core.hostport import HostPort
from crossguard.core.mask import mask_email
from crossguard.errors import ConfigError
from crossguard.gateway.security import PasswordFile
from crossguard.gateway.settings import GatewaySettings

log = logging.getLogger("crossguard.gateway.auth")

THROTTLED = "454 4.7.0 too many failed authentications, try again later"
BUSY = "454 4.7.0 authentication busy, try again later"
#: Longest delay before a failure reply, in seconds.
MAX_DELAY = 30.0
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})

Audit = Callable[[dict[str, object]], None]


def check_auth_tls(settings: GatewaySettings, listen: HostPort) -> bool:
    """Whether AUTH may run without TLS; ConfigError when AUTH would send passwords in clear."""
    if settings.auth_file is None or settings.tls_cert is not None:
        return False
    if settings.auth_plaintext_loopback and (
            listen.host in LOOPBACK or listen.host.startswith("127.")):
        return True
    raise ConfigError(
        "gateway.auth_file: AUTH sends passwords, so it needs gateway.tls_cert (STARTTLS); "
        "gateway.auth_plaintext_loopback allows it without TLS on a loopback listener only")


class Authenticator:
    """Verify AUTH PLAIN/LOGIN credentials for :class:`crossguard.gateway.smtp.GatewaySMTP`."""

    def __init__(self, passwords: PasswordFile, settings: GatewaySettings, pool: Executor,
                 audit: Audit, audit_pool: Executor) -> None:
        self._passwords = passwords
        self._pool = pool
        self._audit = audit
        self._audit_pool = audit_pool
        self._limit = settings.auth_max_failures
        self._base_delay = settings.auth_failure_delay_seconds
        self._failures = FailureLog(settings.auth_failure_window_seconds)
        self._waiting = 0
        self._max_waiting = 8 * settings.auth_workers

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str,
                 auth_data: Any) -> AuthResult:
        """aiosmtpd's synchronous hook: never used to verify (see :meth:`verify`)."""
        return AuthResult(success=False, handled=False)

    def delay(self, failures: int) -> float:
        """Seconds to wait before answering the ``failures``-th recent failure."""
        if failures <= 0 or self._base_delay <= 0:
            return 0.0
        return float(min(MAX_DELAY, self._base_delay * 2 ** (failures - 1)))

    async def verify(self, client: str, mechanism: str, credentials: LoginPassword
                     ) -> AuthResult:
        """Check one AUTH attempt from ``client``; the result aiosmtpd answers with."""
        user = credentials.login.decode("utf-8", "replace")
        keys = (f"client:{client}", f"account:{user.casefold()}")
        recent = max(self._failures.count(key) for key in keys)
        if recent >= self._limit:
            await self._failed(client, user, mechanism, "throttled", self.delay(recent))
            return AuthResult(success=False, handled=False, message=THROTTLED)
        if self._waiting >= self._max_waiting:
            await self._failed(client, user, mechanism, "busy", 0.0)
            return AuthResult(success=False, handled=False, message=BUSY)
        self._waiting += 1
        try:
            password = credentials.password.decode("utf-8", "replace")
            ok = await asyncio.get_running_loop().run_in_executor(
                self._pool, self._passwords.verify, user, password)
        finally:
            self._waiting -= 1
        if ok:
            return AuthResult(success=True, auth_data=credentials)
        failures = max(self._failures.add(key) for key in keys)
        await self._failed(client, user, mechanism, "invalid", self.delay(failures))
        return AuthResult(success=False, handled=False)

    async def _failed(self, client: str, user: str, mechanism: str, reason: str,
                      delay: float) -> None:
        """Audit one failure (masked account), then wait ``delay`` before the reply."""
        log.warning("AUTH %s failed from %s (%s)", mechanism, client, reason)
        payload: dict[str, object] = {"client": client, "account": mask_email(user),
                                      "mechanism": mechanism, "reason": reason}
        try:
            await asyncio.get_running_loop().run_in_executor(
                self._audit_pool, self._audit, payload)
        except Exception as error:  # the refusal stands; the store may be down
            log.error("AUTH failure not audited (%s)", type(error).__name__)
        await asyncio.sleep(delay)
