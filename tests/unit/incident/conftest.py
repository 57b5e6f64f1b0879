"""Fixtures for incident scoping: the archive's customers, their index, a small archive."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from crossguard.config import Settings, settings_from_dict
from crossguard.index.build import build_index
from crossguard.index.customer_input import read_customers
from crossguard.synth.archive import GroundTruth, write_archive
from crossguard.synth.customers import Customer, generate_customers, write_customers_csv

TEST_KEY_HEX = "5eed" * 16
ARCHIVE_CUSTOMERS = 1_000
SMALL_ARCHIVE = 1_000


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


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """1,000 customers, their index, and a 1,000-message archive with the 70 leaked replies."""
    folder = tmp_path_factory.mktemp("incident")
    customers = generate_customers(ARCHIVE_CUSTOMERS, seed=7)
    csv_path = write_customers_csv(customers, folder / "customers.csv")
    build_index(read_customers(csv_path), folder / "index", bytes.fromhex(TEST_KEY_HEX))
    archive = folder / "archive.mbox"
    truth = write_archive(archive, customers, messages=SMALL_ARCHIVE)
    return World(customers, folder / "index", archive, truth)
