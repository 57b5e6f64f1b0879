"""Where one message goes: the route of its sender's domain, then a smart host or the MX
hosts of each recipient domain."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from crossguard.errors import ConfigError
from crossguard.gateway.delivery.mx import LookupFailed, MxResolver
from crossguard.gateway.delivery.settings import Delivery, Route, TlsPolicy
from crossguard.gateway.settings import GatewaySettings


@dataclass(frozen=True, slots=True)
class Hop:
    """One server to hand mail to, and how (connections are pooled per Hop)."""

    host: str
    port: int
    tls: TlsPolicy
    address: str | None = None  # connect here (an MX's resolved address), verify ``host``
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    ca_file: Path | None = None


@dataclass(slots=True)
class Destination:
    """Recipients that go to the same hops (tried in order), or why they cannot go anywhere."""

    rcpts: list[str]
    hops: list[Hop] = field(default_factory=list)
    failure: LookupFailed | None = None


@dataclass(frozen=True, slots=True)
class Upstream:
    """A route with every setting resolved."""

    delivery: Delivery
    host: str
    port: int
    tls: TlsPolicy
    user: str | None
    password: str | None = field(repr=False)


def read_password(path: Path | None) -> str | None:
    """The first line of a password file, or None without one."""
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8").splitlines()[0].strip()
    except (OSError, IndexError):
        raise ConfigError(f"{path}: cannot read the upstream password") from None


def resolve_route(settings: GatewaySettings, route: Route | None) -> Upstream:
    """A route's settings with ``[gateway]``'s filled in; AUTH only over TLS."""
    route = route or Route(sender_domains=[])
    upstream = route.upstream or settings.upstream
    host, port = upstream.host, upstream.port
    tls = route.tls or settings.upstream_tls
    user = route.user or settings.upstream_user or None
    if user and tls not in ("required", "verified"):
        raise ConfigError("gateway.upstream_user: AUTH needs upstream_tls required or verified "
                          "(a password is never sent in clear)")
    password = read_password(route.password_file or settings.upstream_password_file) \
        if user else None
    return Upstream(route.delivery or settings.delivery, host, port, tls, user, password)


class Router:
    """Routes by sender domain; looks up MX hosts for ``mx`` routes."""

    def __init__(self, settings: GatewaySettings, resolver: MxResolver | None = None) -> None:
        self.settings = settings
        self.default = resolve_route(settings, None)
        self.routes: dict[str, Upstream] = {}
        for route in settings.routes:
            upstream = resolve_route(settings, route)
            for domain in route.sender_domains:
                self.routes[domain.lower()] = upstream
        self.resolver = resolver or MxResolver(settings.dns_servers,
                                               settings.upstream_timeout_seconds)

    def upstream_for(self, mail_from: str) -> Upstream:
        """The route of the envelope sender's domain, else the default."""
        domain = mail_from.rpartition("@")[2].lower()
        return self.routes.get(domain, self.default)

    async def destinations(self, mail_from: str, rcpts: Sequence[str]) -> list[Destination]:
        """The recipients grouped by the hops they go to."""
        upstream = self.upstream_for(mail_from)
        if upstream.delivery == "smarthost":
            hop = Hop(upstream.host, upstream.port, upstream.tls, user=upstream.user,
                      password=upstream.password, ca_file=self.settings.upstream_ca_file)
            return [Destination(list(rcpts), [hop])]
        by_domain: dict[str, list[str]] = defaultdict(list)
        for rcpt in rcpts:
            by_domain[rcpt.rpartition("@")[2].lower()].append(rcpt)
        destinations = []
        for domain, domain_rcpts in by_domain.items():
            try:
                hosts = await self.resolver.hosts(domain)
            except LookupFailed as failure:
                destinations.append(Destination(domain_rcpts, failure=failure))
                continue
            hops = [Hop(host, self.settings.mx_port, upstream.tls, address=address,
                        ca_file=self.settings.upstream_ca_file) for host, address in hosts]
            destinations.append(Destination(domain_rcpts, hops))
        return destinations
