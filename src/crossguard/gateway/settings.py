"""Settings for the SMTP gateway."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from crossguard.core.hostport import HostPort, HostPortField
from crossguard.gateway.delivery.settings import Delivery, Route, TlsPolicy
from crossguard.settings_base import Section

#: The gateway's default port: off 10024/10025, amavis's filter and re-injection convention.
DEFAULT_PORT = 10030


class GatewaySettings(Section):
    """The smart host: where it listens, where it relays, how long a check may take."""

    listen: HostPortField = Field(
        HostPort("127.0.0.1", DEFAULT_PORT), description="HOST:PORT the SMTP gateway listens on."
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
    allow_clients: list[str] = Field(
        default_factory=list,
        description="Client addresses or CIDRs that may send without AUTH (e.g. the mail "
        "system in front); others are refused at MAIL (554, or 530 when AUTH is offered).",
    )
    open_relay_i_know: bool = Field(
        False, description="Start even when listening beyond loopback with neither auth_file "
        "nor allow_clients (an open relay).",
    )
    hold_reply: Literal["accept", "reject"] = Field(
        "accept", description="A held message: `accept` answers 250 naming the quarantine id; "
        "`reject` answers `550 5.7.1 <reason> (quarantine <id>)` (for help desks that show "
        "bounces to agents).",
    )
    notify_sender: bool = Field(
        True, description="Mail a notice to the sender of a held message when the sender is "
        "internal (policy.company_domains); never to outside senders.",
    )
    notice_from: str = Field(
        "", description="From address of hold notices (default postmaster@ the first company "
        "domain).",
    )
    notice_template: Path | None = Field(
        None, description="Jinja2 text template of the hold notice (default: the packaged one).",
    )
    dashboard_url: str = Field(
        "", description="Base URL of the dashboard (e.g. https://crossguard.example.com); the "
        "notice then links to the quarantine entry.",
    )
    release_contact: str = Field(
        "reply to this notice or ask your mail administrator",
        description="How to ask for release, when there is no dashboard_url.",
    )
    metrics_listen: HostPortField | None = Field(
        None, description="HOST:PORT serving Prometheus /metrics of the gateway (unset: off).",
    )
    delivery: Delivery = Field(
        "smarthost", description="`smarthost`: relay everything to `upstream`; `mx`: deliver "
        "to the MX hosts of each recipient domain.",
    )
    upstream_tls: TlsPolicy = Field(
        "none", description="TLS towards the next hop: none, opportunistic, required (any "
        "certificate) or verified (valid for the host name).",
    )
    upstream_user: str = Field(
        "", description="AUTH (PLAIN/LOGIN) user at the smart host; needs upstream_tls "
        "required or verified.",
    )
    upstream_password_file: Path | None = Field(
        None, description="File whose first line is upstream_user's password (mode 0600).",
    )
    upstream_ca_file: Path | None = Field(
        None, description="CA bundle that `verified` TLS checks certificates against "
        "(default: the system's).",
    )
    dns_servers: list[str] = Field(
        default_factory=list, description="ADDRESS[:PORT] of the DNS servers for MX look-ups "
        "(default: the system's resolv.conf).",
    )
    mx_port: int = Field(25, ge=1, le=65_535,
                         description="Port of MX hosts (25; other values for tests).")
    routes: list[Route] = Field(
        default_factory=list, description="Per sender domain: another delivery, smart host, "
        "TLS policy or AUTH (`[[gateway.routes]]`).",
    )
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


class MilterSettings(Section):
    """Where the milter listens and what a hold means to the MTA."""

    listen: str = Field(
        "inet:127.0.0.1:8897",
        description="`inet:HOST:PORT` or `unix:/path` the milter listens on (smtpd_milters).",
    )
    socket_mode: str = Field(
        "660", pattern=r"^[0-7]{3}$",
        description="Permissions of a unix: socket (give its group to the MTA's user).",
    )
    hold_action: Literal["discard", "reject"] = Field(
        "discard",
        description="A held message, after it is quarantined: `discard` (the client sees 250, "
        "the MTA drops it) or `reject` (550 5.7.1 with the reason and the quarantine id).",
    )
    metrics_listen: HostPortField | None = Field(
        None, description="HOST:PORT serving Prometheus /metrics of the milter (unset: off).",
    )
    check_timeout_seconds: float = Field(
        30.0, gt=0, le=3_600,
        description="Time budget for checking one message; over it the MTA gets 451."
    )
    check_workers: int = Field(2, ge=1, le=256, description="Threads running message checks.")
    max_message_bytes: int = Field(
        50_000_000, ge=1, le=2_000_000_000,
        description="Largest message checked; a larger one is refused (552)."
    )
