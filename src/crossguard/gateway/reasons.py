"""What a sender is told about a held or refused message: rule names and public reasons.

The verdict's own reasons may name customer ids; a reply or notice to the
sender uses the one-line reasons of ``data/rule_reasons.toml`` instead.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from crossguard.policy.verdict import Verdict

#: Said of a rule the reasons file does not know (a plugin rule).
FALLBACK = "the message breaks the mail policy"


@cache
def _reasons() -> dict[str, str]:
    text = resources.files("crossguard").joinpath("data/rule_reasons.toml").read_text("utf-8")
    return {str(key): str(value) for key, value in tomllib.loads(text).items()}


def deciding_rules(verdict: Verdict) -> list[str]:
    """Names of the rules that decided the verdict's action (never any personal data)."""
    names = [rule.rule for rule in verdict.rules if rule.action == verdict.action]
    return list(dict.fromkeys(names or [rule.rule for rule in verdict.rules]))


def public_reason(rule: str) -> str:
    """The one-line reason a sender may read for ``rule``."""
    return _reasons().get(rule, FALLBACK)


def sender_reason(verdict: Verdict) -> str:
    """The reason of the first deciding rule, for a one-line SMTP reply."""
    rules = deciding_rules(verdict)
    return public_reason(rules[0]) if rules else FALLBACK
