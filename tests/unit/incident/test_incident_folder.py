"""The incident folder as the dashboard reads it: figures, deadlines, allowed downloads."""

from __future__ import annotations

from pathlib import Path

from crossguard.service.incidents import download_path, is_incident, read_incident


def test_summary_deadlines_and_files_of_a_scan(scanned: Path) -> None:
    assert is_incident(scanned) and not is_incident(scanned / "letters")
    incident = read_incident(scanned)
    assert incident.summary["exposures"]["affected_customers"] == 70
    first = incident.deadlines[0]
    assert first.when == "2026-03-08T08:30:00+00:00" and "Art. 33" in first.what
    crossed = {d.what.partition(" ")[0] for d in incident.deadlines[1:] if d.crossed}
    assert crossed == set(incident.summary["outputs"]["jurisdiction_thresholds_crossed"])
    names = [name for name, _ in incident.files]
    assert {"affected.csv", "exposures.csv", "notices.csv", "art33.md", "art33.json",
            "jurisdictions.csv"} <= set(names)
    assert len(incident.letters) == 70 and len(incident.notices) == 200


def test_only_listed_outputs_can_be_downloaded(scanned: Path) -> None:
    letter = read_incident(scanned).letters[0]
    assert download_path(scanned, f"letters/{letter}") == scanned / "letters" / letter
    assert download_path(scanned, "art33.md") == scanned / "art33.md"
    for name in ("exposures.jsonl", "../summary.json", "letters/../summary.json",
                 "letters/missing.eml", "/etc/passwd", "notices", "letters/a/b.eml",
                 "phases/1/art33.md", "report.html"):
        assert download_path(scanned, name) is None, name
