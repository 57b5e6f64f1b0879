"""What the gateway needs from the pipeline: check a message, redact one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from crossguard.policy.verdict import Verdict


class Checker(Protocol):
    """The shape of :class:`crossguard.scan.Guard` as the gateway uses it."""

    def check(
        self, raw: bytes, *, mail_from: str | None = None, rcpts: Sequence[str] = ()
    ) -> Verdict:
        """Check one message as it would be delivered to ``rcpts``."""

    def redact(self, raw: bytes, verdict: Verdict) -> bytes:
        """The message with the verdict's findings masked."""
