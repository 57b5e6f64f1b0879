"""reply_path: Reply-To or From is a group with external members, so every reply fans out."""

from __future__ import annotations

from crossguard.policy.context import Check, RuleContext, fired, passed


def check(ctx: RuleContext) -> Check:
    if not ctx.external_recipients:
        return passed("no external recipient")
    message = ctx.message
    for header, addresses in (("Reply-To", message.reply_to), ("From", message.from_)):
        for address in addresses:
            members = ctx.parties.external_members(address)
            if members:
                return fired(
                    f"{header} {address} is a group with {len(members)} external member(s): "
                    "every reply would reach all of them; use a no-reply or a ticket address"
                )
    return passed("no reply address expands to external members")
