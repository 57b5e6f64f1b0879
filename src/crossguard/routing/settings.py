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
    max_depth: int = Field(20, ge=1, le=1_000, description="Deepest group/alias nesting expanded.")
    max_external_members: int = Field(
        10, ge=0, le=1_000_000,
        description="Without a customer index, an address that accepts outside mail and "
        "redistributes to more external recipients than this is a HIGH finding (0: any).",
    )
    reload_seconds: float = Field(
        2.0, ge=0, le=86_400,
        description="How often a running gateway or milter checks the directory and index "
        "files for changes (0: only on SIGHUP)."
    )
