"""bulk_send: one sender mails more distinct external recipients than allowed in a window."""

from __future__ import annotations

from crossguard.policy.context import Check, RuleContext, fired, passed


def check(ctx: RuleContext) -> Check:
    settings = ctx.settings.rules.bulk_send
    sender = ctx.message.envelope_from or ctx.message.author
    external = [recipient.address for recipient in ctx.external_recipients]
    if ctx.counter is None or not sender or not external:
        return passed("no sender state or no external recipient")
    count = ctx.counter.record_and_count(sender.lower(), external, settings.window_seconds,
                                         ctx.now)
    if count <= settings.max_recipients:
        return passed(f"{count} distinct external recipients in the window")
    return fired(
        f"this sender reached {count} distinct external recipients within "
        f"{settings.window_seconds} s (limit {settings.max_recipients}): held for approval"
    )
