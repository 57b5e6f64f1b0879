"""Start a campaign: make the links, then mail them or hand them out for a mail merge; audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crossguard.errors import ConfigError
from crossguard.store import audit
from crossguard.verify import campaigns, invite
from crossguard.verify.base import VerifyContext
from crossguard.verify.campaigns import Link
from crossguard.verify.invite import Invitee, Upstream


@dataclass(frozen=True, slots=True)
class Launched:
    """A new campaign, its links (paired with their invitees), how many mails went out,
    and the customers whose address the upstream MTA refused."""

    campaign_id: str
    links: list[tuple[Invitee, Link]]
    sent: int
    refused: list[str]


def launch(ctx: VerifyContext, upstream: Upstream, name: str, invitees: Sequence[Invitee], *,
           actor: str, send: bool, days: float | None = None) -> Launched:
    """Create the campaign; with ``send`` mail each customer their own invitation upstream."""
    settings = ctx.settings
    if not settings.public_url:
        raise ConfigError("verify.public_url is not set: links need the page's address")
    if send:
        invite.template(settings)  # a broken template fails before any link is made
        if not settings.mail_from:
            raise ConfigError("verify.mail_from is not set: invitations need a From address")
    campaign_id, made = campaigns.create(ctx, name, [item.customer_id for item in invitees],
                                         actor=actor, days=days)
    sent, refused = invite.send(settings, upstream, invitees, made) if send else (0, [])
    with ctx.sessions.begin() as session:
        event = "verify.invitations_sent" if send else "verify.links_handed_out"
        audit.append(session, actor, event, {"campaign_id": campaign_id,
                                             "count": sent if send else len(made),
                                             "refused": refused})
    return Launched(campaign_id, invite.pairs(invitees, made), sent, refused)
