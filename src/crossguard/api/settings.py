"""Settings for the HTTP API and dashboard."""

from __future__ import annotations

from pydantic import Field

from crossguard.settings_base import Section


class ApiSettings(Section):
    """Where the API listens."""

    listen: str = Field("127.0.0.1:8025", description="HOST:PORT the HTTP API listens on.")
