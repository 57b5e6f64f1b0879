"""Settings for the customer index and attribution."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from crossguard.settings_base import Section


class IndexSettings(Section):
    """Where the index lives and how evidence is weighed."""

    path: Path | None = Field(None, description="Customer index file (built by `index build`).")
    default_country: str = Field(
        "US", description="Country of a customer row with no country column: its phone, date of "
        "birth, postcode and national id are read in this country's formats."
    )
    proximity_window: int = Field(
        300, ge=1, le=1_000_000,
        description="Characters within which weak identifiers corroborate each other."
    )
    common_owner_count: int = Field(
        5, ge=1, le=1_000_000,
        description="A value owned by more customers than this is common and weighs less."
    )
    max_owners: int = Field(
        50, ge=1, le=1_000_000,
        description="A value owned by more customers than this identifies no one and is "
        "not looked at further (its weight would be below 0.1).",
    )
    min_score: float = Field(
        1.0, gt=0, le=1_000,
        description="Smallest evidence score that attributes a customer.",
    )
    name_token_cache: int = Field(
        200_000, ge=1, le=100_000_000,
        description="Entries in the token -> fingerprint cache used for names."
    )
