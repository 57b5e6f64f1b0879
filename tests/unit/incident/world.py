"""The incident tests' world: customers, their index, a generated archive, a scan's output.

Plain types and constants; ``conftest.py`` builds them as session fixtures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from crossguard.config import Settings, settings_from_dict
from crossguard.synth.archive import GroundTruth
from crossguard.synth.customers import Customer

TEST_KEY_HEX = "5eed" * 16
ARCHIVE_CUSTOMERS = 1_000
SMALL_ARCHIVE = 1_000
AWARE = "2026-03-05T08:30:00+00:00"
COMPANY = "Example Phones"


@dataclass(frozen=True, slots=True, repr=False)
class World:
    """Customers, their index, and a generated incident archive with its ground truth."""

    customers: list[Customer]
    index: Path
    archive: Path
    truth: GroundTruth

    def __repr__(self) -> str:
        """No customer data in a failing test's output."""
        return f"World({len(self.customers)} customers, archive={self.archive.name})"

    def settings(self) -> Settings:
        return settings_from_dict({"index": {"path": str(self.index)},
                                   "policy": {"company_domains": ["example.com"]}})

    def raw_identifiers(self) -> list[str]:
        """Every customer's email, phone (three spellings), licence number and street."""
        values = []
        for customer in self.customers:
            digits = re.sub(r"\D", "", customer.phone)
            values += [customer.email, customer.phone, digits, f"+1{digits}",
                       customer.driver_licence, customer.street]
        return values


@dataclass(frozen=True, slots=True)
class Scan:
    """The --out folder of one `crossguard incident scan` and the contacts CSV it used."""

    out: Path
    contacts: Path
