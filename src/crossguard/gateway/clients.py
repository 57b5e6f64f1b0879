"""Who may send through the gateway: the CIDR allow-list, AUTH, and the open-relay refusal.

A gateway listening beyond loopback with neither AUTH (``gateway.auth_file``)
nor an allow-list (``gateway.allow_clients``) would relay anyone's mail,
forged senders included: it refuses to start unless
``gateway.open_relay_i_know = true``. A client outside the allow-list is
answered ``554 5.7.1`` at MAIL, or ``530 5.7.0`` when it could still AUTH.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import Any

from crossguard.errors import ConfigError
from crossguard.gateway.settings import GatewaySettings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

REFUSED = "554 5.7.1 client not allowed to send through this gateway"
AUTH_FIRST = "530 5.7.0 Authentication required"


def is_loopback(host: str) -> bool:
    """True for a loopback address or ``localhost``; any other name counts as public."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def networks(cidrs: Sequence[str]) -> list[Network]:
    """The allow-list parsed; a bad entry is a ConfigError naming it."""
    parsed = []
    for cidr in cidrs:
        try:
            parsed.append(ipaddress.ip_network(cidr, strict=False))
        except ValueError:
            raise ConfigError(
                f"gateway.allow_clients: {cidr!r} is not an address or CIDR") from None
    return parsed


def check_clients(settings: GatewaySettings) -> None:
    """Validate the allow-list and refuse an open relay: ConfigError, before anything starts."""
    networks(settings.allow_clients)
    refuse_open_relay(settings, settings.listen.host)


def refuse_open_relay(settings: GatewaySettings, host: str) -> None:
    """Raise ConfigError when listening on ``host`` would make an open relay."""
    if (is_loopback(host) or settings.auth_file is not None or settings.allow_clients
            or settings.open_relay_i_know):
        return
    raise ConfigError(
        f"gateway.listen {settings.listen} is not loopback and neither gateway.auth_file nor "
        "gateway.allow_clients is set: that is an open relay (set gateway.open_relay_i_know "
        "= true to run it anyway)")


class ClientPolicy:
    """Decides at MAIL whether a connected client may send."""

    def __init__(self, settings: GatewaySettings) -> None:
        self._networks = networks(settings.allow_clients)
        self._can_auth = settings.auth_file is not None

    @property
    def restricted(self) -> bool:
        """True when only listed (or authenticated) clients may send."""
        return bool(self._networks)

    def allowed(self, peer: Any) -> bool:
        """True when the peer's address (aiosmtpd's ``session.peer``) is in the allow-list."""
        host = peer[0] if isinstance(peer, tuple) and peer else str(peer)
        try:
            address = ipaddress.ip_address(str(host).split("%")[0])
        except ValueError:
            return False
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        return any(address in network for network in self._networks)

    def refusal(self, peer: Any, authenticated: bool) -> str | None:
        """The reply refusing MAIL from this client, or None when it may send."""
        if not self.restricted or authenticated or self.allowed(peer):
            return None
        return AUTH_FIRST if self._can_auth else REFUSED
