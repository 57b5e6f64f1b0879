"""crossguard: stop one customer's personal data from reaching another customer.

The library front end::

    from crossguard import Guard, load_settings
    guard = Guard.from_settings(load_settings())
    verdict = guard.check(raw_bytes, mail_from="care@example.com", rcpts=["a@example.net"])
    verdict.action          # "allow", "warn", "redact", "quarantine" or "reject"
"""

from __future__ import annotations

from crossguard.config import Settings, load_settings
from crossguard.core.attribution import Attribution
from crossguard.core.finding import Finding
from crossguard.errors import (
    ConfigError,
    CrossguardError,
    IndexFormatError,
    IndexKeyError,
    MessageParseError,
    StoreError,
)
from crossguard.policy.verdict import RuleResult, Verdict
from crossguard.scan import Evaluation, Guard

__all__ = [
    "Attribution",
    "ConfigError",
    "CrossguardError",
    "Evaluation",
    "Finding",
    "Guard",
    "IndexFormatError",
    "IndexKeyError",
    "MessageParseError",
    "RuleResult",
    "Settings",
    "StoreError",
    "Verdict",
    "load_settings",
]
