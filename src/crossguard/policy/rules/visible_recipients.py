"""visible_recipients: several external customers can see each other's addresses."""

from __future__ import annotations

from crossguard.policy.context import Check, RuleContext, fired, passed


def check(ctx: RuleContext) -> Check:
    limit = ctx.settings.rules.visible_recipients.max_visible_external
    visible = [a for a in ctx.message.visible_recipients if not ctx.parties.is_internal(a)]
    if len(visible) <= limit:
        return passed(f"{len(visible)} external address(es) in To/Cc, limit {limit}")
    return fired(
        f"{len(visible)} external recipients can see each other in To/Cc (limit {limit}): "
        "use Bcc or send one message each"
    )
