"""`crossguard demo --workdir`: the incident's archive, contacts file and config for a scan."""

from __future__ import annotations

import csv
from pathlib import Path

from crossguard.config import load_settings
from crossguard.demo import write_incident_files
from crossguard.incident.sources import read_sources
from crossguard.synth.customers import generate_customers


def test_incident_files_for_a_scan(tmp_path: Path) -> None:
    customers = generate_customers(250, seed=7)
    archive, contacts, config = write_incident_files(tmp_path, customers, messages=300)
    assert sum(1 for _ in read_sources([archive])) == 300
    with contacts.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["customer_id"], row["email"]) for row in rows] == [
        (customer.customer_id, customer.email) for customer in customers]
    settings = load_settings(config)
    assert settings.index.path == tmp_path / "index"
    assert settings.policy.directory == [tmp_path / "directory.json"]
    config.write_text("# kept\n", encoding="utf-8")
    write_incident_files(tmp_path, customers, messages=300)
    assert config.read_text(encoding="utf-8") == "# kept\n", "an existing config is kept"
