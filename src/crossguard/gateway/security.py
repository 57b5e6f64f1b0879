"""STARTTLS context and AUTH for the gateway's listener."""

from __future__ import annotations

import ssl
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from crossguard.errors import ConfigError
from crossguard.gateway.settings import GatewaySettings


def tls_context(settings: GatewaySettings) -> ssl.SSLContext | None:
    """A server TLS context from ``tls_cert``/``tls_key``, or None without a certificate."""
    if settings.tls_cert is None:
        return None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(settings.tls_cert, settings.tls_key)
    except (OSError, ssl.SSLError) as error:
        raise ConfigError(f"gateway.tls_cert: cannot load ({type(error).__name__})") from None
    return context


class PasswordFile:
    """Verify AUTH PLAIN/LOGIN against a file of ``user:argon2-hash`` lines."""

    def __init__(self, path: Path) -> None:
        self._hasher = PasswordHasher()
        self._users: dict[str, str] = {}
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise ConfigError(f"{path}: cannot read auth file ({error.strerror})") from None
        for number, line in enumerate(lines, 1):
            if not line.strip() or line.startswith("#"):
                continue
            user, sep, hashed = line.partition(":")
            if not sep or not hashed.startswith("$argon2"):
                raise ConfigError(f"{path}:{number}: expected user:argon2-hash")
            self._users[user.strip()] = hashed.strip()

    def verify(self, user: str, password: str) -> bool:
        """True when ``password`` is ``user``'s."""
        hashed = self._users.get(user)
        if hashed is None:
            return False
        try:
            return self._hasher.verify(hashed, password)
        except (VerificationError, InvalidHashError):
            return False
