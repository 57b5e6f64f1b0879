"""Fixtures for incident scoping: the archive's customers, their index, a small archive, a scan."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.unit.incident.world import (
    ARCHIVE_CUSTOMERS,
    AWARE,
    COMPANY,
    SMALL_ARCHIVE,
    TEST_KEY_HEX,
    Scan,
    World,
)

from crossguard.cli.main import cli
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
    """Run the CLI once: two local workers, a contacts CSV with enrollment codes."""
    folder = tmp_path_factory.mktemp("scan")
    contacts = folder / "contacts.csv"
    with contacts.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["customer_id", "enrollment_code"])
        for customer_id in world.truth.customer_ids:
            writer.writerow([customer_id, f"IDP-{customer_id[-4:]}"])
    config = folder / "crossguard.toml"
    config.write_text(f'[index]\npath = "{world.index}"\n'
                      '[policy]\ncompany_domains = ["example.com"]\n', encoding="utf-8")
    out = folder / "out"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CROSSGUARD_KEY", TEST_KEY_HEX)
        result = CliRunner().invoke(cli, [
            "incident", "scan", str(world.archive), "--index", str(world.index), "--out", str(out),
            "--workers", "2", "--config", str(config), "--aware-at", AWARE,
            "--company", COMPANY, "--contacts-csv", str(contacts),
        ])
    assert result.exit_code == 0, result.output
    assert "70 affected customers" in result.output
    return Scan(out, contacts)


@pytest.fixture
def scanned(scanned_run: Scan) -> Path:
    """The scan's --out folder (read only: copy it before re-rendering into it)."""
    return scanned_run.out
