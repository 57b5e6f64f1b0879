"""visible_recipients: several external customers can see each other's addresses.

A list or group in To/Cc makes each of its members visible to the others:
every member receives the message with the list's address, and replies to
the list reach them all. Its external members count as visible recipients.
"""

from __future__ import annotations

from crossguard.core.mask import mask_email
from crossguard.policy.context import Check, RuleContext, fired, passed


def check(ctx: RuleContext) -> Check:
    limit = ctx.settings.rules.visible_recipients.max_visible_external
    parties = ctx.parties
    message = ctx.message
    visible: set[str] = set()
    lists: list[str] = []
    for header, addresses in (("To", message.to), ("Cc", message.cc)):
        for address in addresses:
            members = parties.external_members(address)
            if members:
                visible.update(members)
                shown = address if parties.is_internal(address) else mask_email(address)
                lists.append(f"{header} {shown} (a list of {len(members)} external member"
                             f"{'s' if len(members) != 1 else ''})")
            elif not parties.is_internal(address):
                visible.add(address.lower())
    if len(visible) <= limit:
        return passed(f"{len(visible)} external address(es) in To/Cc, limit {limit}")
    through = f" {'; '.join(lists[:3])};" if lists else ""
    return fired(
        f"{len(visible)} external recipients can see each other in To/Cc (limit {limit}):"
        f"{through} use Bcc or send one message each"
    )
