"""Settings of one delivery route: how the gateway reaches the next hop."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from crossguard.core.hostport import HostPortField
from crossguard.settings_base import Section

#: ``none``: plain SMTP. ``opportunistic``: STARTTLS when offered, certificate not checked.
#: ``required``: STARTTLS or fail (temporary), certificate not checked. ``verified``: STARTTLS
#: with a certificate valid for the host name (system CAs, or ``upstream_ca_file``).
TlsPolicy = Literal["none", "opportunistic", "required", "verified"]
Delivery = Literal["smarthost", "mx"]


class Route(Section):
    """Mail from these sender domains goes another way; unset keys inherit ``[gateway]``'s."""

    sender_domains: list[str] = Field(
        description="Envelope sender domains this route applies to (lower case)."
    )
    delivery: Delivery | None = Field(None, description="`smarthost` or `mx`.")
    upstream: HostPortField | None = Field(None, description="HOST:PORT of the smart host.")
    tls: TlsPolicy | None = Field(None, description="TLS policy towards the next hop.")
    user: str | None = Field(None, description="AUTH user at the smart host.")
    password_file: Path | None = Field(None, description="File holding the AUTH password.")
