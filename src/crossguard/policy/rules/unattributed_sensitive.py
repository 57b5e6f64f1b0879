"""unattributed_sensitive: card, national id, passport or licence numbers of nobody we know.

The index cannot say whose they are, so it cannot say the recipient owns them.
"""

from __future__ import annotations

from crossguard.policy.context import Check, RuleContext, fired, passed


def check(ctx: RuleContext) -> Check:
    if not ctx.external_recipients:
        return passed("no external recipient")
    kinds = set(ctx.settings.rules.unattributed_sensitive.kinds)
    attributed = {
        (evidence.part, evidence.masked)
        for attribution in ctx.attributions
        for evidence in attribution.evidence
    }
    unknown = sorted({
        finding.kind
        for finding in ctx.findings
        if finding.kind in kinds and (finding.part, finding.masked) not in attributed
    })
    if not unknown:
        return passed("every sensitive number found belongs to a known customer")
    return fired(
        f"sensitive numbers that match no customer ({', '.join(unknown)}) would reach "
        "external recipients"
    )
