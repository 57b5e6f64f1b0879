"""Recording one decision: a quarantine hold when the message is held, else an audit entry.

The gateway and the HTTP API record their decisions through here (via
:meth:`crossguard.store.store.Store.record`), so the audit payload and the
hold are written one way, inside one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from crossguard.core.mask import mask_email
from crossguard.store import audit
from crossguard.store.quarantine import Quarantine, masked_addresses


class NamedRule(Protocol):
    """A rule that fired, as far as the store needs it."""

    @property
    def rule(self) -> str: ...


class Decided(Protocol):
    """What the store needs of a verdict: its action, its rules and its masked form."""

    @property
    def action(self) -> str: ...

    @property
    def rules(self) -> Sequence[NamedRule]: ...

    def as_dict(self) -> dict[str, Any]: ...


@dataclass(frozen=True, slots=True)
class Decision:
    """One decided message: who decided, what, and how it is recorded.

    ``action`` is the action taken (the verdict's unless the front end changed
    it); ``hold`` asks for a quarantine hold when that action is
    ``quarantine``; ``audit`` false records nothing for a message not held.
    """

    verdict: Decided
    message: bytes
    mail_from: str
    rcpts: Sequence[str]
    actor: str
    event: str
    action: str
    hold: bool = True
    audit: bool = True
    spool_id: str | None = None

    @property
    def held(self) -> bool:
        """True when this decision puts the message in the quarantine."""
        return self.hold and self.action == "quarantine"

    @property
    def recorded(self) -> bool:
        """True when recording this decision writes anything."""
        return self.held or self.audit

    def payload(self) -> dict[str, Any]:
        """The audit payload: action, rule names and masked addresses only."""
        payload: dict[str, Any] = {
            "action": self.action, "rules": [rule.rule for rule in self.verdict.rules],
            "mail_from": mask_email(self.mail_from), "rcpts": masked_addresses(self.rcpts),
        }
        if self.spool_id is not None:
            payload["spool_id"] = self.spool_id
        return payload


def write(connection: Connection, quarantine: Quarantine, decision: Decision) -> str | None:
    """Write ``decision`` inside the caller's transaction; the quarantine id when held."""
    if decision.held:
        with Session(connection) as session:
            entry_id = quarantine.hold(
                session, mail_from=decision.mail_from, rcpts=decision.rcpts,
                body=decision.message, verdict=decision.verdict.as_dict(),
                actor=decision.actor, spool_id=decision.spool_id,
            )
            session.flush()
        return entry_id
    if decision.audit:
        audit.append(connection, decision.actor, decision.event, decision.payload())
    return None
