"""Who the parties of a message are: internal, a known customer, authorized, a group, external."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from crossguard.errors import ConfigError
from crossguard.policy.settings import PolicySettings
from crossguard.routing.directory import Directory

CustomerLookup = Callable[[str], frozenset[str]]


@dataclass(frozen=True, slots=True)
class Recipient:
    """One final recipient address and what crossguard knows of it."""

    address: str
    internal: bool
    customer_ids: frozenset[str]
    via_group: str | None = None


def read_authorized_contacts(path: Path | None) -> dict[str, frozenset[str]]:
    """``customer_id,address`` rows: addresses allowed to see that customer's data."""
    if path is None:
        return {}
    contacts: dict[str, set[str]] = {}
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            for number, row in enumerate(csv.reader(handle), start=1):
                if number == 1 and row[:2] == ["customer_id", "address"]:
                    continue
                if len(row) < 2 or "@" not in row[1]:
                    raise ConfigError(f"{path}: line {number}: expected customer_id,address")
                contacts.setdefault(row[0].strip(), set()).add(row[1].strip().lower())
    except OSError as error:
        raise ConfigError(f"{path}: cannot read authorized contacts ({error.strerror})") from None
    return {customer: frozenset(addresses) for customer, addresses in contacts.items()}


class Parties:
    """Resolves addresses with the company domains, the directory and the customer index."""

    def __init__(
        self,
        settings: PolicySettings,
        directory: Directory | None = None,
        customers_with_email: CustomerLookup | None = None,
        authorized: dict[str, frozenset[str]] | None = None,
    ) -> None:
        self.domains = tuple(domain.lower().lstrip("@") for domain in settings.company_domains)
        self.directory = directory
        self._customers = customers_with_email
        self.authorized = authorized or {}

    def is_internal(self, address: str) -> bool:
        domain = address.rpartition("@")[2].lower()
        return any(domain == d or domain.endswith("." + d) for d in self.domains)

    def customers(self, address: str) -> frozenset[str]:
        """Customers who own ``address`` (empty without an index)."""
        if self._customers is None or self.is_internal(address):
            return frozenset()
        return self._customers(address)

    def final_recipients(self, addresses: Iterable[str]) -> list[Recipient]:
        """Every final recipient, groups and aliases expanded through the directory."""
        found: dict[str, Recipient] = {}
        for address in addresses:
            address = address.lower()
            group = self.directory is not None and self.directory.is_group(address)
            expanded = self.directory.expand(address) if group and self.directory else {address}
            for final in sorted(expanded):
                if final not in found:
                    found[final] = Recipient(final, self.is_internal(final),
                                             self.customers(final), address if group else None)
        return list(found.values())

    def may_see(self, customer_id: str, recipient: Recipient) -> bool:
        """Whether ``recipient`` may receive ``customer_id``'s data."""
        return (
            recipient.internal
            or customer_id in recipient.customer_ids
            or recipient.address in self.authorized.get(customer_id, frozenset())
        )

    def may_reach_outside(self, addresses: Iterable[str]) -> bool:
        """Whether any address is external, or a group that may expand to external members."""
        directory = self.directory
        return any(not self.is_internal(address)
                   or (directory is not None and directory.is_group(address))
                   for address in addresses)

    def external_members(self, address: str) -> frozenset[str]:
        """External final recipients behind a group address (empty for a plain address)."""
        if self.directory is None or not self.directory.is_group(address):
            return frozenset()
        return self.directory.external_members(address)
