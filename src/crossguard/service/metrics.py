"""Prometheus metrics of one app: messages checked, actions by rule, check latency."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

from crossguard.policy.verdict import Verdict

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """The collectors, in a registry of their own (several apps can live in one process)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.checked = Counter(
            "crossguard_messages_checked", "Messages checked through the HTTP API, by action.",
            ["action"], registry=self.registry,
        )
        self.rule_actions = Counter(
            "crossguard_rule_actions", "Rules that fired on checked messages, by rule and action.",
            ["rule", "action"], registry=self.registry,
        )
        self.latency = Histogram(
            "crossguard_check_seconds", "Time to check one message (parse to verdict).",
            buckets=LATENCY_BUCKETS, registry=self.registry,
        )
        self.decisions = Counter(
            "crossguard_quarantine_decisions", "Quarantine releases and discards, by decision.",
            ["decision"], registry=self.registry,
        )

    def observe(self, verdict: Verdict, seconds: float) -> None:
        """Count one checked message."""
        self.checked.labels(verdict.action).inc()
        for rule in verdict.rules:
            self.rule_actions.labels(rule.rule, rule.action).inc()
        self.latency.observe(seconds)

    def render(self) -> bytes:
        """The text exposition format."""
        return generate_latest(self.registry)
