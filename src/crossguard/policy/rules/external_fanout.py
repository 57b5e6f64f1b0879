"""external_fanout: a message written outside the company is redistributed to external people.

This is the incident's path: a customer's reply reaches a support list, and
the list resends it to every other customer on it.
"""

from __future__ import annotations

from crossguard.policy.context import Check, RuleContext, fired, passed


def _through(ctx: RuleContext) -> str:
    """The company address the message travels through, for the reason."""
    message = ctx.message
    for address in [*message.to, *message.cc, *message.sender]:
        if ctx.parties.is_internal(address):
            return f" through {address}"
    return ""


def check(ctx: RuleContext) -> Check:
    author = ctx.message.author
    if author is None or ctx.parties.is_internal(author):
        return passed("written inside the company")
    others = [r for r in ctx.external_recipients if r.address != author.lower()]
    if not others:
        return passed("not delivered to any other external recipient")
    return fired(
        f"a message written outside the company is being redistributed{_through(ctx)} "
        f"to {len(others)} other external recipient(s)"
    )
