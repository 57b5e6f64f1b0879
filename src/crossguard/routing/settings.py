"""Settings for the routing audit."""

from __future__ import annotations

from pydantic import Field

from crossguard.settings_base import Section


class RoutingSettings(Section):
    """Which senders are customer care, and how deep groups may nest."""

    care_senders: list[str] = Field(
        default_factory=list,
        description="Addresses customer care sends from (or uses as Reply-To).",
    )
    max_depth: int = Field(20, description="Deepest group/alias nesting expanded.")
