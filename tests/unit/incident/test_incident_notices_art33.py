"""Recipient notices, the Art. 33 draft and the jurisdiction table of the scanned archive."""

from __future__ import annotations

import csv
import json
import stat
from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import default
from pathlib import Path

from tests.unit.incident.world import World

from crossguard.incident import jurisdictions
from crossguard.incident.graph import Affected, Edge
from crossguard.incident.residence import Residence, state_of_address

AWARE_AT = datetime(2026, 3, 5, 8, 30, tzinfo=UTC)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_a_notice_for_every_recipient_with_counts_and_kinds_never_whose(
        world: World, scanned: Path) -> None:
    exposures = _rows(scanned / "exposures.csv")
    messages: dict[str, set[str]] = {}
    for row in exposures:
        messages.setdefault(row["recipient"], set()).update(row["message_ids"].split(";"))
    asked = _rows(scanned / "notices.csv")
    assert [row["recipient"] for row in asked] == sorted(messages)
    assert len(asked) == 200 == len(list((scanned / "notices").glob("*.eml")))
    customer_ids = [customer.customer_id for customer in world.customers]
    masked = {cell for row in exposures for cell in row["evidence"].split(";")}
    for row in asked:
        assert int(row["messages"]) == len(messages[row["recipient"]])
        notice = message_from_bytes((scanned / row["notice"]).read_bytes(), policy=default)
        body = notice.get_content()  # type: ignore[attr-defined]
        assert notice["To"] == row["recipient"]
        assert f"you received {row['messages']} email message" in body
        assert "driving licence number" in body and "Please:" in body
        assert not [cid for cid in customer_ids if cid in notice.as_string()]
        assert not [value for value in masked if value.partition(" ")[2] in body]
        assert "privacy@phones.example" in body
    assert {row["messages"] for row in asked} >= {"70", "69"}


def test_art33_counts_match_the_exposure_graph(scanned: Path) -> None:
    draft = json.loads((scanned / "art33.json").read_text(encoding="utf-8"))
    exposures = _rows(scanned / "exposures.csv")
    affected = _rows(scanned / "affected.csv")
    assert draft["data_subjects"]["count"] == len(affected) == 70
    assert draft["records"] == {"exposures": len(exposures), "messages": 70,
                                "recipients": len({row["recipient"] for row in exposures})}
    for category in draft["categories"]:
        subjects = sum(1 for row in affected if category["kind"] in row["kinds"].split(";"))
        records = sum(1 for row in exposures if category["kind"] in row["kinds"].split(";"))
        assert (category["data_subjects"], category["records"]) == (subjects, records)
    assert {c["kind"] for c in draft["categories"]} >= {"DRIVER_LICENCE", "PHONE"}
    assert draft["timeline"]["notification_deadline"] == "2026-03-08T08:30:00+00:00"
    assert draft["timeline"]["hours_since_awareness"] == 24.5
    assert draft["delay"] == {"late": False, "reasons": None, "reasons_missing": False}
    assert draft["controller"]["dpo_contact"] == "dpo@phones.example"
    assert any("preorder-support@example.com" in line for line in draft["measures_taken"])
    assert sum(row["affected"] for row in draft["places"]) == 70
    text = (scanned / "art33.md").read_text(encoding="utf-8")
    assert "| data subjects concerned | 70 |" in text
    assert f"| personal data records concerned (one person's data reaching one recipient) | " \
           f"{len(exposures)} |" in text
    assert "**2026-03-08T08:30:00+00:00**" in text and "Art. 33(3)(c)" in text


def test_the_jurisdiction_table_counts_states_from_the_customer_table(world: World,
                                                                      scanned: Path) -> None:
    states = {customer.customer_id: customer.state for customer in world.customers}
    expected: dict[str, int] = {}
    for customer_id in world.truth.customer_ids:
        expected[f"US-{states[customer_id]}"] = expected.get(f"US-{states[customer_id]}", 0) + 1
    draft = json.loads((scanned / "art33.json").read_text(encoding="utf-8"))
    assert {row["place"]: row["affected"] for row in draft["places"]} == expected
    table = _rows(scanned / "jurisdictions.csv")
    covered = {rule.id for rule in jurisdictions.rules()}
    assert [row["jurisdiction"] for row in table] == [
        rule.id for rule in jurisdictions.rules() if rule.id in expected]
    for row in table:
        assert int(row["affected"]) == expected[row["jurisdiction"]]
        assert row["threshold_crossed"] == (
            "yes" if int(row["notifiable"]) >= int(row["authority_threshold"]) else "no")
    assert {row["jurisdiction"] for row in table if row["threshold_crossed"] == "yes"} == {
        place for place in expected if place in {"US-NY", "US-MA", "US-NJ", "US-CT"}}
    assert covered >= {"EU-EEA", "UK", "US-CA", "US-CO", "US-FL", "US-NY", "US-TX"}
    assert len([rule for rule in jurisdictions.rules() if rule.us_state]) >= 10


def _people(count: int, kinds: tuple[str, ...] = ("PERSON_NAME", "DRIVER_LICENCE")
            ) -> list[Affected]:
    evidence = {(kind, "x") for kind in kinds}
    return [Affected(f"C{n}", [Edge(f"C{n}", "r@x.example", evidence)]) for n in range(count)]


def test_thresholds_are_flagged_where_they_are_crossed() -> None:
    def crossed(count: int, residence: Residence, kinds: tuple[str, ...] = (
            "PERSON_NAME", "DRIVER_LICENCE")) -> dict[str, bool]:
        people = _people(count, kinds)
        rows = jurisdictions.assess(people, {p.customer_id: residence for p in people},
                                    AWARE_AT)
        return {row["jurisdiction"]: row["threshold_crossed"] for row in rows}

    assert crossed(499, Residence("US", "CO")) == {"US-CO": False}
    assert crossed(500, Residence("US", "CO")) == {"US-CO": True}
    assert crossed(500, Residence("US", "FL")) == {"US-FL": True}
    assert crossed(500, Residence("US", "CA")) == {"US-CA": False}
    assert crossed(501, Residence("US", "CA")) == {"US-CA": True}
    assert crossed(250, Residence("US", "TX")) == {"US-TX": True}
    assert crossed(1, Residence("DE")) == {"EU-EEA": True}
    assert crossed(1, Residence("GB")) == {"UK": True}
    assert crossed(900, Residence("US", "CO"), ("PERSON_NAME", "PHONE")) == {"US-CO": False}
    assert crossed(900, Residence("US", "CO"), ("DRIVER_LICENCE",)) == {"US-CO": False}
    assert crossed(5, Residence("JP")) == {}
    rows = jurisdictions.assess(_people(1), {"C0": Residence("DE")}, AWARE_AT)
    assert rows[0]["authority_deadline"] == "2026-03-08T08:30:00+00:00"
    assert jurisdictions.places(_people(2), {"C0": Residence("FR")}) == [
        {"place": "FR", "affected": 1, "exposures": 1, "rule": "EU-EEA"},
        {"place": "unknown", "affected": 1, "exposures": 1, "rule": None}]


def test_state_from_an_address() -> None:
    assert state_of_address("81590 Benjamin Mews, Jonesland, OH") == "OH"
    assert state_of_address("1 Main St, Austin, tx 78701") == "TX"
    assert state_of_address("Calle Mayor 12, Madrid") is None
    assert state_of_address("1 Main St, Springfield, XX") is None


def test_every_output_file_is_0600_and_every_folder_0700(scanned: Path) -> None:
    paths = [scanned, *scanned.rglob("*")]
    assert len(paths) > 270
    for path in paths:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), path.relative_to(scanned.parent)
