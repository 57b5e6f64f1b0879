"""The Verdict: what the guard decided about one message, as data.

Nothing in a Verdict holds a raw identifier: findings and evidence carry
masked renderings only (``Finding.value`` is excluded from :meth:`as_dict`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from crossguard.core.attribution import Attribution
from crossguard.core.finding import Finding
from crossguard.message.model import ParseNote

ActionName = Literal["allow", "warn", "redact", "quarantine", "reject"]

#: Precedence when several rules fire: the strongest action wins.
ACTION_ORDER: dict[str, int] = {"allow": 0, "warn": 1, "redact": 2, "quarantine": 3, "reject": 4}


def strongest(actions: list[str]) -> str:
    """The action with the highest precedence (``allow`` for none)."""
    return max(actions, key=ACTION_ORDER.__getitem__, default="allow")


@dataclass(frozen=True, slots=True)
class RuleResult:
    """One rule that fired: its action, severity and a reason naming no personal data."""

    rule: str
    action: str
    severity: str
    reason: str
    monitor: bool = False
    customers: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "action": self.action,
            "severity": self.severity,
            "reason": self.reason,
            "monitor": self.monitor,
            "customers": list(self.customers),
        }


@dataclass(slots=True)
class Verdict:
    """The outcome of checking one message."""

    action: str
    rules: list[RuleResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    notes: list[ParseNote] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    message_id: str | None = None
    subject: str | None = None

    @property
    def held(self) -> bool:
        """True when the message must not be delivered as it is."""
        return self.action in ("quarantine", "reject")

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "message_id": self.message_id,
            "subject": self.subject,
            "rules": [rule.as_dict() for rule in self.rules],
            "findings": [finding.as_dict() for finding in self.findings],
            "attributions": [item.as_dict() for item in self.attributions],
            "notes": [note.as_dict() for note in self.notes],
            "timings_ms": {name: round(ms, 3) for name, ms in self.timings_ms.items()},
        }

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.as_dict(), **kwargs)
