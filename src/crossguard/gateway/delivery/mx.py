"""MX look-up per recipient domain (dnspython), with RFC 5321 5.1's implicit MX and RFC 7505's
null MX. Host addresses are resolved with the same resolver, so a configured
``gateway.dns_servers`` answers every question of a delivery."""

from __future__ import annotations

import dns.asyncresolver
import dns.exception
import dns.nameserver
import dns.rdatatype
import dns.resolver

from crossguard.errors import ConfigError


class LookupFailed(Exception):
    """No host to deliver a domain to: ``permanent`` (no such domain, null MX) or not."""

    def __init__(self, summary: str, *, permanent: bool) -> None:
        super().__init__(summary)
        self.summary = summary
        self.permanent = permanent


def nameserver(value: str) -> dns.nameserver.Do53Nameserver:
    """``"192.0.2.53"``, ``"192.0.2.53:5353"`` or ``"[2001:db8::53]:53"``."""
    host, sep, port = value.rpartition(":")
    if not sep or (value.count(":") > 1 and not value.startswith("[")):
        host, port = value, "53"
    if not port.isdigit():
        raise ConfigError(f"gateway.dns_servers: {value!r} is not ADDRESS[:PORT]")
    return dns.nameserver.Do53Nameserver(host.strip("[]"), int(port))


class MxResolver:
    """Ordered delivery addresses of a domain."""

    def __init__(self, servers: list[str], timeout: float) -> None:
        self._resolver = dns.asyncresolver.Resolver(configure=not servers)
        if servers:
            self._resolver.nameservers = [nameserver(server) for server in servers]
        self._resolver.lifetime = timeout

    async def exchanges(self, domain: str) -> list[str]:
        """MX host names by preference; the domain itself when it has no MX."""
        try:
            answer = await self._resolver.resolve(domain, "MX")
        except dns.resolver.NXDOMAIN:
            raise LookupFailed("no such domain", permanent=True) from None
        except dns.resolver.NoAnswer:
            return [domain]
        except (dns.exception.Timeout, dns.resolver.NoNameservers):
            raise LookupFailed("DNS lookup failed", permanent=False) from None
        records = sorted(answer, key=lambda record: record.preference)
        names = [record.exchange.to_text(omit_final_dot=True) for record in records]
        if names in ([""], ["."]):
            raise LookupFailed("domain accepts no mail (null MX)", permanent=True)
        return names

    async def addresses(self, host: str) -> list[str]:
        """IPv4 then IPv6 addresses of ``host`` (empty when it has none)."""
        found: list[str] = []
        for kind in ("A", "AAAA"):
            try:
                answer = await self._resolver.resolve(host, kind)
            except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
                continue
            except (dns.exception.Timeout, dns.resolver.NoNameservers):
                raise LookupFailed("DNS lookup failed", permanent=False) from None
            found.extend(record.to_text() for record in answer)
        return found

    async def hosts(self, domain: str) -> list[tuple[str, str]]:
        """(host name, address) pairs to try in order for ``domain``."""
        pairs: list[tuple[str, str]] = []
        for exchange in await self.exchanges(domain):
            pairs.extend((exchange, address) for address in await self.addresses(exchange))
        if not pairs:
            raise LookupFailed("no address for the domain's mail hosts", permanent=False)
        return pairs
