"""The confirmation a reviewer sees before a release or a discard takes effect.

Release puts a held message on the wire, so the page lists every recipient
(masked), counts them as external or internal, and warns when the message
carries data of customers who are not among them: the very leak that held it.
"""

from __future__ import annotations

from dataclasses import dataclass

from crossguard.store.quarantine import HeldMessage

#: Rules whose firing means the message carries one customer's data to someone else.
CROSS_CUSTOMER_RULES = ("cross_customer", "external_fanout", "unattributed_sensitive")


@dataclass(frozen=True, slots=True)
class Recipient:
    """One envelope recipient, masked, and whether its domain is the company's."""

    masked: str
    internal: bool


@dataclass(frozen=True, slots=True)
class Confirmation:
    """What the confirmation page shows for one decision."""

    decision: str
    recipients: list[Recipient]
    customers: list[str]
    warning: str | None

    @property
    def external(self) -> int:
        return sum(not recipient.internal for recipient in self.recipients)

    @property
    def internal(self) -> int:
        return sum(recipient.internal for recipient in self.recipients)


def confirmation(entry: HeldMessage, decision: str,
                 company_domains: list[str]) -> Confirmation:
    """The recipients of ``entry`` counted, and a warning when customers' data would leak."""
    domains = tuple(domain.lower().lstrip("@") for domain in company_domains)
    recipients = [Recipient(address, _internal(address, domains)) for address in entry.rcpts]
    customers = [str(item.get("customer_id")) for item in entry.verdict.get("attributions", [])]
    fired = [rule for rule in entry.rules if rule in CROSS_CUSTOMER_RULES]
    warning = None
    if decision == "release" and fired:
        warning = (f"This message was held by {', '.join(fired)}: releasing it sends "
                   f"customer data to {sum(not r.internal for r in recipients)} external "
                   "recipient(s) who are not the customers it belongs to.")
    return Confirmation(decision, recipients, customers, warning)


def _internal(masked: str, domains: tuple[str, ...]) -> bool:
    domain = masked.rpartition("@")[2].lower()
    return any(domain == known or domain.endswith("." + known) for known in domains)
