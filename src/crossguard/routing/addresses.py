"""Address helpers: bare lower-cased addresses and company-domain membership."""

from __future__ import annotations

import re
from collections.abc import Iterable
from email.utils import parseaddr

_ADDRESS = re.compile(r"(?:[^@\s<>(),;:\"]+)?@[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?")


def normalize(text: str) -> str | None:
    """The bare lower-cased address in ``text`` (``Name <a@b>`` too), or None if it is not one.

    A Postfix catch-all key such as ``@example.com`` is kept as it is.
    """
    address = text.strip().lower()
    if "<" in address:
        address = parseaddr(address)[1].strip()
    return address if _ADDRESS.fullmatch(address) else None


class DomainClassifier:
    """Decides whether an address belongs to the company (its domains and their subdomains)."""

    def __init__(self, company_domains: Iterable[str]) -> None:
        self._domains = tuple(d.strip().lower().lstrip("@").rstrip(".") for d in company_domains)
        self._cache: dict[str, bool] = {}
        self._limit = 100_000

    @property
    def domains(self) -> tuple[str, ...]:
        """The company domains, lower-cased."""
        return self._domains

    def is_internal(self, address: str) -> bool:
        """True for an address in a company domain or one of its subdomains."""
        at = address.rfind("@")
        if at < 0:
            return False
        domain = address[at + 1 :].lower()
        known = self._cache.get(domain)
        if known is None:
            known = any(domain == d or domain.endswith("." + d) for d in self._domains)
            if len(self._cache) >= self._limit:
                self._cache.clear()
            self._cache[domain] = known
        return known
