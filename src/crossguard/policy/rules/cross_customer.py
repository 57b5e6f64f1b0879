"""cross_customer: a customer's data would reach someone who is not that customer."""

from __future__ import annotations

from crossguard.policy.context import Check, RuleContext, fired, passed


def check(ctx: RuleContext) -> Check:
    external = ctx.external_recipients
    if not ctx.attributions:
        return passed("no customer's data found")
    if not external:
        return passed("no external recipient")
    exposures = []
    for attribution in ctx.attributions:
        unauthorized = [r for r in external if not ctx.may_see(attribution, r)]
        if unauthorized:
            exposures.append((attribution, len(unauthorized)))
    if not exposures:
        return passed("every external recipient owns, or may see, the data found")
    described = "; ".join(
        f"customer {attribution.customer_id} ({', '.join(attribution.kinds)}) "
        f"to {count} recipient{'s' if count != 1 else ''}"
        for attribution, count in exposures[:5]
    )
    more = f" and {len(exposures) - 5} more customers" if len(exposures) > 5 else ""
    return fired(
        f"data of another customer would reach external recipients: {described}{more}",
        [attribution.customer_id for attribution, _ in exposures],
    )
