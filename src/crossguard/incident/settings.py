"""Settings for incident scoping."""

from __future__ import annotations

from pydantic import Field

from crossguard.settings_base import Section


class IncidentSettings(Section):
    """Who the notification letters come from."""

    company_name: str = Field("Example Corp", description="Company name used in letters.")
    contact: str = Field("privacy@example.com", description="Contact address given in letters.")
    workers: int = Field(2, description="Dask workers for a local scan.")
    batch_size: int = Field(50, description="Messages shipped to a Dask worker per task.")
    connect_timeout: float = Field(
        20.0, description="Seconds to wait for a --scheduler before giving up."
    )
