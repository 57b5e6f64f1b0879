"""Address helpers: bare lower-cased addresses and company-domain membership."""

from __future__ import annotations

import re
from collections.abc import Iterable
from email.utils import parseaddr

_BARE = re.compile(r"^[^@\s<>(),;:\"]+@[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$")
_DOMAIN = re.compile(r"^@[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$")


def normalize(text: str) -> str | None:
    """The bare lower-cased address in ``text`` (``Name <a@b>`` too), or None if it is not one.

    A Postfix catch-all key such as ``@example.com`` is kept as it is.
    """
    text = text.strip()
    if "<" in text:
        text = parseaddr(text)[1]
    address = text.strip().lower()
    if _BARE.match(address) or _DOMAIN.match(address):
        return address
    return None


def domain_of(address: str) -> str:
    """The domain part of a bare address (empty for a local name)."""
    return address.rpartition("@")[2] if "@" in address else ""


class DomainClassifier:
    """Decides whether an address belongs to the company (its domains and their subdomains)."""

    def __init__(self, company_domains: Iterable[str]) -> None:
        self._domains = tuple(d.strip().lower().lstrip("@").rstrip(".") for d in company_domains)
        self._cache: dict[str, bool] = {}

    @property
    def domains(self) -> tuple[str, ...]:
        """The company domains, lower-cased."""
        return self._domains

    def is_internal(self, address: str) -> bool:
        """True for an address in a company domain or one of its subdomains."""
        domain = domain_of(address.lower())
        known = self._cache.get(domain)
        if known is None:
            known = bool(domain) and any(
                domain == d or domain.endswith("." + d) for d in self._domains
            )
            self._cache[domain] = known
        return known
