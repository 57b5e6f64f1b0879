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
