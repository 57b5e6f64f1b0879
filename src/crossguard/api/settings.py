"""Settings for the HTTP API and dashboard."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from crossguard.core.hostport import HostPort, HostPortField
from crossguard.settings_base import Section


class ApiSettings(Section):
    """Where the API listens, how the dashboard keeps sessions, what it shows."""

    listen: HostPortField = Field(
        HostPort("127.0.0.1", 8025), description="HOST:PORT the HTTP API listens on."
    )
    secure_cookies: bool = Field(
        True, description="Mark the dashboard session cookie Secure (off only for plain-HTTP "
        "localhost testing)."
    )
    session_seconds: int = Field(
        8 * 3600, ge=60, le=2_592_000,
        description="How long a dashboard login lasts before signing in again."
    )
    session_secret_file: Path | None = Field(
        None, description="File with the hex secret that signs dashboard cookies (several API "
        "instances share it); default: random per process. Never derived from the index key."
    )
    login_max_failures: int = Field(
        5, ge=1, le=1000,
        description="Failed dashboard logins per client address or per account within "
        "login_failure_window_seconds before logins are refused with 429.",
    )
    login_failure_window_seconds: float = Field(
        900.0, ge=1, le=86_400, description="Window in which failed dashboard logins count."
    )
    login_failure_delay_seconds: float = Field(
        0.5, ge=0, le=30,
        description="Delay before answering a failed login, doubling per recent failure "
        "(0: no delay).",
    )
    login_workers: int = Field(
        1, ge=1, le=16,
        description="Password checks (argon2, 64 MiB each) run at once; more logins wait, "
        "and past eight per worker get 429.",
    )
    reports_dir: Path | None = Field(
        None, description="Folder of incident report folders (each with report.html) listed "
        "by the dashboard."
    )
    max_body_bytes: int = Field(
        50 * 1024 * 1024, ge=1, le=2_000_000_000,
        description="Largest request body POST /v1/check accepts."
    )
    audit_checks: bool = Field(
        True, description="Record every POST /v1/check verdict in the audit chain."
    )
    metrics_public: bool = Field(
        True, description="Serve /metrics without a token (for a Prometheus scraper)."
    )
