"""Settings for the SMTP gateway."""

from __future__ import annotations

from pydantic import Field

from crossguard.settings_base import Section


class GatewaySettings(Section):
    """The smart host: where it listens, where it relays, how long a check may take."""

    listen: str = Field("127.0.0.1:10025", description="HOST:PORT the SMTP gateway listens on.")
    upstream: str = Field("127.0.0.1:25", description="HOST:PORT of the upstream MTA to relay to.")
    max_message_bytes: int = Field(50_000_000, description="Largest message accepted (SIZE).")
    check_timeout_seconds: float = Field(
        30.0, description="Time budget for checking one message; over it answers 451."
    )
