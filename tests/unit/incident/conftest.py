"""Fixtures for incident scoping: the archive's customers, their index, a small archive, a scan."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from tests.unit.incident.world import (
    ARCHIVE_CUSTOMERS,
    INCIDENT_SETTINGS,
    SMALL_ARCHIVE,
    TEST_KEY_HEX,
    Scan,
    World,
    run_scan,
)

from crossguard.index.build import build_index
from crossguard.index.customer_input import read_customers
from crossguard.synth.archive import write_archive
from crossguard.synth.customers import generate_customers, write_customers_csv


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


@pytest.fixture(scope="session")
def scanned_run(world: World, tmp_path_factory: pytest.TempPathFactory) -> Scan:
    """Run the CLI once: two local workers, a contacts CSV with emails and enrollment codes."""
    folder = tmp_path_factory.mktemp("scan")
    contacts = folder / "contacts.csv"
    with contacts.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["customer_id", "email", "enrollment_code"])
        for customer in world.customers:
            writer.writerow([customer.customer_id, customer.email,
                             f"IDP-{customer.customer_id[-4:]}"])
    config = folder / "crossguard.toml"
    config.write_text(f'[index]\npath = "{world.index}"\n'
                      '[policy]\ncompany_domains = ["example.com"]\n' + INCIDENT_SETTINGS,
                      encoding="utf-8")
    scan = Scan(folder / "out", contacts, config, world.index.parent / "customers.csv")
    result = run_scan(world, scan.out, config, [str(world.archive)], scan.options())
    assert "70 affected customers" in result.output
    return scan


@pytest.fixture
def scanned(scanned_run: Scan) -> Path:
    """The scan's --out folder (read only: copy it before re-rendering into it)."""
    return scanned_run.out
