"""`crossguard incident scan` on the generated archive, against the generator's ground truth.

One scan on a two-process LocalCluster (the archive: 1,000 messages with the
70 redistributed replies); every output is checked from that run.
"""

from __future__ import annotations

import csv
import json
import re
from email import message_from_bytes
from email.policy import default
from pathlib import Path

from tests.unit.incident.world import AWARE, World


def test_exactly_the_affected_customers_and_their_recipients(world: World,
                                                              scanned: Path) -> None:
    with (scanned / "exposures.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(row["customer_id"], set()).add(row["recipient"])
        assert "DRIVER_LICENCE" in row["kinds"].split(";")
    assert sorted(found) == world.truth.customer_ids
    assert len(found) == 70
    for customer_id, recipients in world.truth.affected.items():
        assert found[customer_id] == set(recipients), customer_id
    with (scanned / "affected.csv").open(newline="", encoding="utf-8") as handle:
        affected = list(csv.DictReader(handle))
    assert [row["customer_id"] for row in affected] == world.truth.customer_ids
    assert all(row["recipients"] == "199" for row in affected)


def test_summary_has_the_counts_and_the_regulator_clock(scanned: Path) -> None:
    data = json.loads((scanned / "summary.json").read_text(encoding="utf-8"))
    assert data["messages"]["read"] == 1000 and data["messages"]["malformed"] == 0
    assert data["messages"]["exposing"] == 70
    assert data["exposures"] == {"affected_customers": 70, "recipients": 200, "edges": 70 * 199}
    assert data["clock"]["aware_at"] == AWARE
    assert data["clock"]["notification_deadline"] == "2026-03-08T08:30:00+00:00"
    assert data["clock"]["first_exposure"] == "2026-03-02T11:01:00+00:00"


def test_report_html_is_self_contained(scanned: Path) -> None:
    html = (scanned / "report.html").read_text(encoding="utf-8")
    assert "<svg" in html and "Affected customers" in html and "72 h" in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.IGNORECASE)
    assert "http://" not in html and "https://" not in html


def test_no_raw_identifier_in_report_summary_or_letters(world: World, scanned: Path) -> None:
    names = ["report.html", "summary.json", "affected.csv", "art33.md", "art33.json",
             "jurisdictions.csv", "changelog.md", "changelog.json"]
    blob = "\0".join([*((scanned / name).read_text(encoding="utf-8") for name in names),
                      *(_without_to(path) for path in sorted((scanned / "letters").glob("*"))),
                      *(_without_to(path) for path in sorted((scanned / "notices").glob("*")))])
    with (scanned / "exposures.csv").open(newline="", encoding="utf-8") as handle:
        data_cells = {value for row in csv.DictReader(handle)
                      for column, value in row.items() if column not in ("recipient", "senders")}
    data_blob = "\0".join(sorted(data_cells))
    values = world.raw_identifiers()
    recipients = (scanned / "exposures.csv").read_text(encoding="utf-8")
    assert world.customers[0].email in recipients, "spelled as in the outputs"
    leaked = [value for value in values if value in blob]
    assert not leaked, f"{len(leaked)} raw identifiers in the reports, drafts, letters or notices"
    leaked = [value for value in values if "@" not in value and value in data_blob]
    assert not leaked, f"{len(leaked)} raw identifiers of the data in exposures.csv"


def test_one_addressed_letter_per_affected_customer_with_the_offer(world: World,
                                                                   scanned: Path) -> None:
    letters = sorted((scanned / "letters").glob("*.eml"))
    assert [path.stem for path in letters] == world.truth.customer_ids
    assert not (scanned / "letters-missing-contacts.csv").exists()
    emails = {customer.customer_id: customer.email for customer in world.customers}
    ids = set()
    for path in letters:
        letter = message_from_bytes(path.read_bytes(), policy=default)
        assert letter["To"] == emails[path.stem]
        assert letter["Date"] == "Fri, 06 Mar 2026 09:00:00 +0000"
        ids.add(letter["Message-ID"])
    assert len(ids) == 70 and all(re.fullmatch(r"<letter\.[0-9a-f]{24}@phones\.example>", i)
                                  for i in ids)
    letter = message_from_bytes(letters[0].read_bytes(), policy=default)
    body = letter.get_content()  # type: ignore[attr-defined]
    customer_id = world.truth.customer_ids[0]
    assert letter["X-Crossguard-Customer"] == customer_id
    assert letter["From"] == "Example Phones <privacy@phones.example>"
    assert "Example Phones" in body and f"IDP-{customer_id[-4:]}" in body
    assert "reached 199 other" in body and "driving licence number" in body
    assert "identity theft" in body and "data protection officer at dpo@phones.example" in body


def _without_to(path: Path) -> str:
    """A letter or notice without its To header: its addressee is there by design."""
    letter = message_from_bytes(path.read_bytes(), policy=default)
    del letter["To"]
    return letter.as_string()
