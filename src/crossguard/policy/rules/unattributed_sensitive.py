"""unattributed_sensitive: card, national id, passport or licence numbers of nobody we know.

The index cannot say whose they are, so it cannot say the recipient owns them.
Message identifiers (Message-ID, In-Reply-To, References, Resent-Message-ID) are made by mail
software, and one random 16-digit id in ten passes Luhn: an unknown number there
is no reason to hold. A known customer's number there is still held by
cross_customer.
"""

from __future__ import annotations

from crossguard.core.kinds import FINDING_TO_INDEX, evidence_name
from crossguard.message.fields import ID_PATHS
from crossguard.policy.context import Check, RuleContext, fired, passed


def _evidence_kind(finding_kind: str) -> str:
    """The evidence name a finding of this kind is attributed under (US_SSN -> NATIONAL_ID)."""
    index_kind = FINDING_TO_INDEX.get(finding_kind)
    return evidence_name(index_kind) if index_kind is not None else finding_kind


def check(ctx: RuleContext) -> Check:
    if not ctx.external_recipients:
        return passed("no external recipient")
    kinds = set(ctx.settings.rules.unattributed_sensitive.kinds)
    attributed = {
        (evidence.part, evidence.kind)
        for attribution in ctx.attributions
        for evidence in attribution.evidence
    }
    unknown = sorted({
        finding.kind
        for finding in ctx.findings
        if finding.kind in kinds and finding.part.split(".")[0] not in ID_PATHS
        and (finding.part, _evidence_kind(finding.kind)) not in attributed
    })
    if not unknown:
        return passed("every sensitive number found belongs to a known customer")
    return fired(
        f"sensitive numbers that match no customer ({', '.join(unknown)}) would reach "
        "external recipients"
    )
