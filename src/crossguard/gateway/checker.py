"""What the gateway needs from the pipeline: check a message, and redact one if it can."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from crossguard.policy.verdict import Verdict


class Checker(Protocol):
    """The shape of :class:`crossguard.scan.Guard` as the gateway uses it."""

    def check(
        self, raw: bytes, *, mail_from: str | None = None, rcpts: Sequence[str] = ()
    ) -> Verdict:
        """Check one message as it would be delivered to ``rcpts``."""


@runtime_checkable
class Redactor(Protocol):
    """A checker that can also mask a verdict's findings in the MIME message."""

    def redact(self, raw: bytes, verdict: Verdict) -> bytes:
        """The message with the verdict's findings masked."""


def effective_action(checker: Checker, verdict: Verdict) -> str:
    """The action to take: ``redact`` becomes ``quarantine`` when the checker cannot redact."""
    if verdict.action == "redact" and not isinstance(checker, Redactor):
        return "quarantine"
    return verdict.action
