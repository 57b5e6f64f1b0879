"""An incident folder as the dashboard reads it: figures, deadlines, allowed downloads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from crossguard.service.incidents import download_path, is_incident, read_incident


def test_summary_deadlines_and_files_of_an_incident(
        tmp_path: Path, write_incident: Callable[[Path], Path]) -> None:
    folder = write_incident(tmp_path / "incident")
    assert is_incident(folder) and not is_incident(folder / "letters")
    incident = read_incident(folder)
    assert incident.summary["exposures"]["affected_customers"] == 2
    art33, *rules = incident.deadlines
    assert art33.when == "2026-03-08T08:30:00+00:00" and "Art. 33" in art33.what
    assert art33.crossed is None
    assert [(d.what.partition(" ")[0], d.crossed) for d in rules] == [("US-NY", True),
                                                                       ("US-TX", False)]
    assert rules[1].when == "2026-04-04T08:30:00+00:00", "Texas: 30 days after awareness"
    names = [name for name, _ in incident.files]
    assert {"affected.csv", "exposures.csv", "notices.csv", "art33.md", "art33.json",
            "jurisdictions.csv"} <= set(names)
    assert "letters-missing-contacts.csv" not in names
    assert incident.letters == ["C1.eml", "C2.eml"]
    assert incident.notices == ["notice-0001.eml", "notice-0002.eml", "notice-0003.eml"]


def test_only_listed_outputs_can_be_downloaded(
        tmp_path: Path, write_incident: Callable[[Path], Path]) -> None:
    folder = write_incident(tmp_path / "incident")
    assert download_path(folder, "letters/C1.eml") == folder / "letters" / "C1.eml"
    assert download_path(folder, "art33.md") == folder / "art33.md"
    for name in ("exposures.jsonl", "../summary.json", "letters/../summary.json",
                 "letters/missing.eml", "/etc/passwd", "notices", "letters/a/b.eml",
                 "phases/1/art33.md", "report.html", "letters-missing-contacts.csv"):
        assert download_path(folder, name) is None, name
