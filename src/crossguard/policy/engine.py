"""The policy engine: run every enabled rule, apply its settings, pick the action."""

from __future__ import annotations

from dataclasses import dataclass

from crossguard.errors import CrossguardError, add_context
from crossguard.policy.context import Check, RuleContext
from crossguard.policy.rules import RULES
from crossguard.policy.settings import PolicySettings, RuleSettings
from crossguard.policy.verdict import RuleResult, strongest


@dataclass(frozen=True, slots=True)
class Explained:
    """One rule's outcome for `crossguard explain`."""

    rule: str
    enabled: bool
    check: Check | None
    settings: RuleSettings


def rule_settings(settings: PolicySettings, name: str) -> RuleSettings:
    """The settings section of rule ``name``."""
    section: RuleSettings = getattr(settings.rules, name)
    return section


def explain(ctx: RuleContext) -> list[Explained]:
    """Every rule, whether it ran, and what it concluded.

    A CrossguardError raised inside a rule (a store the bulk counter needs is
    down, say) names that rule.
    """
    outcomes = []
    for name, check in RULES.items():
        section = rule_settings(ctx.settings, name)
        concluded = None
        if section.enabled:
            try:
                concluded = check(ctx)
            except CrossguardError as error:
                add_context(error, rule=name)
                raise
        outcomes.append(Explained(name, section.enabled, concluded, section))
    return outcomes


def decide(
    outcomes: list[Explained], settings: PolicySettings
) -> tuple[str, list[RuleResult]]:
    """The final action and the rules that fired, from every rule's outcome.

    The strongest action of the fired rules wins (reject > quarantine > redact
    > warn > allow). A rule in monitor mode, or every rule under global monitor
    mode, is recorded with ``monitor`` set but does not change the action.
    """
    results = []
    for outcome in outcomes:
        if outcome.check is None or not outcome.check.fired:
            continue
        section = outcome.settings
        results.append(
            RuleResult(
                rule=outcome.rule,
                action=section.action,
                severity=section.severity,
                reason=outcome.check.reason,
                monitor=section.monitor or settings.monitor,
                customers=outcome.check.customers,
            )
        )
    action = strongest([result.action for result in results if not result.monitor])
    return action, results
