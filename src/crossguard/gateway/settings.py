"""Settings for the SMTP gateway."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from crossguard.core.hostport import HostPort, HostPortField
from crossguard.settings_base import Section


class GatewaySettings(Section):
    """The smart host: where it listens, where it relays, how long a check may take."""

    listen: HostPortField = Field(
        HostPort("127.0.0.1", 10025), description="HOST:PORT the SMTP gateway listens on."
    )
    upstream: HostPortField = Field(
        HostPort("127.0.0.1", 25), description="HOST:PORT of the upstream MTA to relay to."
    )
    max_message_bytes: int = Field(
        50_000_000, ge=1, le=2_000_000_000, description="Largest message accepted (SIZE)."
    )
    max_recipients: int = Field(
        1000, ge=1, le=100_000,
        description="Most RCPTs in one transaction; past it `452 4.5.3` (the client sends the "
        "rest in another transaction).",
    )
    max_connections: int = Field(
        1000, ge=1, le=100_000, description="Open SMTP connections in total; past it `421`."
    )
    max_connections_per_client: int = Field(
        100, ge=1, le=100_000,
        description="Open SMTP connections from one client address; past it `421` (an MTA in "
        "front of the gateway connects from one address).",
    )
    check_timeout_seconds: float = Field(
        30.0, gt=0, le=3_600,
        description="Time budget for checking one message; over it answers 451."
    )
    hostname: str = Field("", description="Name in the greeting and EHLO; empty: the host name.")
    instance: str = Field(
        "", description="Name of this gateway instance in the shared store; empty: host:port."
    )
    check_workers: int = Field(2, ge=1, le=256, description="Threads running message checks.")
    tls_cert: Path | None = Field(None, description="PEM certificate offered with STARTTLS.")
    tls_key: Path | None = Field(None, description="PEM private key of tls_cert.")
    require_starttls: bool = Field(False, description="Refuse mail before STARTTLS.")
    auth_file: Path | None = Field(
        None, description="File of `user:argon2-hash` lines; when set, clients must AUTH "
        "(after STARTTLS: it needs tls_cert)."
    )
    auth_plaintext_loopback: bool = Field(
        False, description="Allow AUTH without TLS when listening on loopback (tests only)."
    )
    auth_workers: int = Field(
        2, ge=1, le=64, description="Threads checking AUTH passwords (argon2), off the event loop."
    )
    auth_max_failures: int = Field(
        5, ge=1, le=1_000,
        description="Failed AUTHs of one client address or one account within "
        "auth_failure_window_seconds; past it AUTH is answered `454 4.7.0` unchecked.",
    )
    auth_failure_window_seconds: float = Field(
        900.0, gt=0, le=86_400, description="How long a failed AUTH counts against its client "
        "and account."
    )
    auth_failure_delay_seconds: float = Field(
        1.0, ge=0, le=30, description="Delay before answering a failed AUTH; doubles per recent "
        "failure up to 30 s (0: no delay)."
    )
    relay_concurrency: int = Field(
        8, ge=1, le=10_000,
        description="Messages relayed upstream at once.",
    )
    upstream_starttls: bool = Field(False, description="Use STARTTLS towards the upstream MTA.")
    upstream_timeout_seconds: float = Field(
        60.0, gt=0, le=3_600, description="Timeout of each SMTP command towards the upstream MTA."
    )
    retry_base_seconds: float = Field(
        5.0, gt=0, le=86_400, description="First relay retry delay; doubles per attempt."
    )
    retry_max_seconds: float = Field(
        900.0, gt=0, le=604_800,
        description="Longest delay between relay retries.",
    )
    give_up_seconds: float = Field(
        432_000.0, gt=0, le=2_592_000,
        description="Age after which undeliverable recipients fail for good (5 days)."
    )
    poll_seconds: float = Field(
        1.0, gt=0, le=3_600,
        description="How often the relay worker looks for due messages in the spool."
    )
    lease_seconds: float = Field(
        600.0, gt=0, le=86_400,
        description="How long a relay claim lasts before another instance may retry it."
    )
    dedupe_seconds: float = Field(
        86_400.0, gt=0, le=2_592_000,
        description="A byte-identical retransmission within this time is acknowledged once.",
    )
