"""The incident tests' world: customers, their index, a generated archive, a scan's output.

Plain types, constants and the scan command; ``conftest.py`` builds them as session fixtures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from crossguard.cli.main import cli
from crossguard.config import Settings, settings_from_dict
from crossguard.synth.archive import GroundTruth
from crossguard.synth.customers import Customer

TEST_KEY_HEX = "5eed" * 16
ARCHIVE_CUSTOMERS = 1_000
SMALL_ARCHIVE = 1_000
AWARE = "2026-03-05T08:30:00+00:00"
ISSUED = "2026-03-06T09:00:00+00:00"
COMPANY = "Example Phones"
#: The [incident] statements the scanned run's letters may make.
INCIDENT_SETTINGS = """[incident]
contact = "privacy@phones.example"
dpo_contact = "dpo@phones.example"
remediation_offer = "one year of identity-theft protection at no cost"
disabled_address = "preorder-support@example.com"
measures = ["Outbound customer-care mail is now checked before it leaves."]
"""


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
    """The --out folder of one `crossguard incident scan` and the files it used."""

    out: Path
    contacts: Path
    config: Path
    customers: Path

    def options(self) -> list[str]:
        """The scan's render options, as `incident scan` and `incident report` take them."""
        return ["--aware-at", AWARE, "--company", COMPANY, "--contacts-csv", str(self.contacts),
                "--customers", str(self.customers), "--issued-at", ISSUED]


def run_scan(world: World, out: Path, config: Path, paths: list[str],
             options: list[str]) -> Result:
    """`crossguard incident scan PATHS --out OUT` on two local workers; exit 0 asserted."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CROSSGUARD_KEY", TEST_KEY_HEX)
        result = CliRunner().invoke(cli, [
            "incident", "scan", *paths, "--index", str(world.index), "--out", str(out),
            "--workers", "2", "--config", str(config), *options,
        ])
    assert result.exit_code == 0, result.output
    return result
