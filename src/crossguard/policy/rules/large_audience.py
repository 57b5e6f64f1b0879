"""large_audience: a message to very many recipients waits for approval."""

from __future__ import annotations

from crossguard.policy.context import Check, RuleContext, fired, passed


def check(ctx: RuleContext) -> Check:
    limit = ctx.settings.rules.large_audience.max_recipients
    count = len(ctx.recipients)
    if count <= limit:
        return passed(f"{count} recipient(s), limit {limit}")
    return fired(f"{count} recipients in total (limit {limit}): needs approval")
