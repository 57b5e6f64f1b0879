"""bulk_send: a campaign, a script mailing the customer list, or a sender far above its baseline.

``campaign`` mode (the default; docs/verdict.md) never counts a one-to-one
reply within a conversation, so a shared care address answers as many
customers a day as it likes. It counts, for every other message:

* the distinct external recipients of its template (the wording, names and
  numbers folded away) within ``template_window_seconds``, across senders;
* the distinct external recipients of the sender's new conversations within
  ``window_seconds``, against ``max(min_new_recipients, baseline_factor x
  the sender's busiest window of the last baseline_days)``.

``sender`` mode is the rule before: every distinct recipient of a sender.
"""

from __future__ import annotations

from crossguard.policy.context import Check, RuleContext, fired, passed
from crossguard.policy.submitter import counted_sender
from crossguard.policy.template import is_one_to_one_reply, recipient_token, template_key

DAY = 86400


def check(ctx: RuleContext) -> Check:
    sender = ctx.message.envelope_from or ctx.message.author
    external = [recipient.address for recipient in ctx.external_recipients]
    if ctx.counter is None or not sender or not external:
        return passed("no sender state or no external recipient")
    counted = counted_sender(sender.lower())  # a forgery counts under its own submitter
    if ctx.settings.rules.bulk_send.mode == "sender":
        return _per_sender(ctx, counted, external)
    return _campaign(ctx, counted, external)


def _per_sender(ctx: RuleContext, sender: str, external: list[str]) -> Check:
    settings = ctx.settings.rules.bulk_send
    assert ctx.counter is not None
    count = ctx.counter.record_and_count(sender, external, settings.window_seconds, ctx.now)
    if count <= settings.max_recipients:
        return passed(f"{count} distinct external recipients in the window")
    return fired(
        f"this sender reached {count} distinct external recipients within "
        f"{settings.window_seconds} s (limit {settings.max_recipients}): held for approval"
    )


def _campaign(ctx: RuleContext, sender: str, external: list[str]) -> Check:
    settings = ctx.settings.rules.bulk_send
    counter = ctx.counter
    assert counter is not None
    if is_one_to_one_reply(ctx.message, len(external)):
        return passed("a one-to-one reply in a conversation (not counted)")
    tokens = [recipient_token(address) for address in external]
    template = counter.record_and_count(
        f"template:{template_key(ctx.message)}", tokens, settings.template_window_seconds,
        ctx.now,
    )
    window = settings.window_seconds
    key = f"new:{sender}"
    keep = settings.baseline_days * DAY
    count = counter.record_and_count(key, tokens, window, ctx.now, keep_seconds=keep)
    baseline = counter.peak(key, ctx.now - keep, ctx.now - window, window)
    limit = max(settings.min_new_recipients, int(settings.baseline_factor * baseline))
    if template > settings.max_template_recipients:
        return fired(
            f"one message template reached {template} distinct external recipients within "
            f"{settings.template_window_seconds} s (limit {settings.max_template_recipients}): "
            "a campaign, held for approval"
        )
    if count > limit:
        return fired(
            f"this sender started conversations with {count} distinct external recipients "
            f"within {window} s (limit {limit}: its busiest window of the last "
            f"{settings.baseline_days} days was {baseline}): held for approval"
        )
    return passed(
        f"template reached {template}, new conversations {count} (limit {limit}) in the window"
    )
