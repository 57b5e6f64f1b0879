"""Settings for the identifier detectors."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from crossguard.settings_base import Section


class DetectSettings(Section):
    """Which detectors run and how they read ambiguous text."""

    default_region: str = Field(
        "US", description="ISO country used to read phone numbers written without a + prefix."
    )
    regions: list[str] = Field(
        default_factory=list,
        description="ISO countries whose phone numbers, date orders, postcodes and national "
        "ids are read; empty means the countries of the customer index (recorded when it "
        "was built), else default_region. Context words of every language always count.",
    )
    kinds: list[str] = Field(
        default_factory=list,
        description="Finding kinds to detect; empty means every registered detector.",
    )
    order_id_pattern: str = Field(
        r"\b(?:ORD|ORDER|SO)[-#]?\d{6,12}\b",
        description="Regular expression matching the company's order ids (ORDER_ID findings).",
    )
    context_window: int = Field(
        80, ge=1, le=10_000, description="Characters before a candidate searched for context words."
    )
    unvalidated_phones: bool = Field(
        True,
        description="Also report phone-shaped numbers next to a phone word that phonenumbers "
        "does not validate (confidence 0.4; never matched against customers).",
    )
    min_confidence: float = Field(
        0.3, ge=0, le=1,
        description="Findings below this confidence are dropped (0: keep every finding).",
    )
    date_order: Literal["MDY", "DMY", "YMD"] | None = Field(
        None,
        description="How to read an all-numeric date such as 03/04/1980 (DOB findings); "
        "unset means every order the countries in regions use (a date readable both ways "
        "gives both readings).",
    )

    def region_codes(self) -> tuple[str, ...]:
        """The countries read: ``regions``, else ``default_region``; upper-case."""
        return tuple(code.upper() for code in (self.regions or [self.default_region]))
