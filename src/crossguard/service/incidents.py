"""Incident folders for the dashboard: figures, deadlines, and the outputs that may be downloaded.

Only the outputs named here can be downloaded (the CSVs, the drafts, the
changelog, one letter or notice at a time); a requested name is checked
against this list, never joined onto a path as given.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Top-level files a privacy officer may download, with what each is.
DOWNLOADS = {
    "affected.csv": "affected customers (masked evidence)",
    "exposures.csv": "who received whose data (recipient addresses in clear)",
    "notices.csv": "recipients asked to delete (addresses in clear)",
    "letters-missing-contacts.csv": "affected customers without an address",
    "jurisdictions.csv": "notification rules, thresholds, deadlines",
    "art33.md": "regulator draft (GDPR Art. 33)",
    "art33.json": "regulator draft, machine-readable",
    "changelog.md": "what each scan phase added",
    "summary.json": "counts and clock",
}
_MAIL = re.compile(r"(letters|notices)/([A-Za-z0-9_.-]+\.eml)")


@dataclass(frozen=True, slots=True)
class Deadline:
    """One deadline the incident runs against."""

    what: str
    when: str | None
    rule: str
    crossed: bool | None = None


@dataclass(slots=True)
class Incident:
    """One scan folder: its figures, deadlines and downloadable files."""

    name: str
    summary: dict[str, Any]
    deadlines: list[Deadline] = field(default_factory=list)
    files: list[tuple[str, str]] = field(default_factory=list)
    letters: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def is_incident(folder: Path) -> bool:
    """Whether ``folder`` holds a scan's outputs (summary and report)."""
    return (folder / "summary.json").is_file() and (folder / "report.html").is_file()


def read_incident(folder: Path) -> Incident:
    """The summary, the deadlines (Art. 33 and every rule whose threshold is crossed), files."""
    data = _json(folder / "summary.json")
    draft = _json(folder / "art33.json") if (folder / "art33.json").is_file() else {}
    incident = Incident(folder.name, data)
    clock = data.get("clock", {})
    incident.deadlines.append(Deadline(
        "GDPR Art. 33: notify the supervisory authority", clock.get("notification_deadline"),
        "72 hours after becoming aware"))
    for row in draft.get("jurisdictions", []):
        incident.deadlines.append(Deadline(
            f"{row['jurisdiction']} ({row['name']}): notify {row['authority']}",
            row.get("authority_deadline"), row.get("authority_deadline_rule", ""),
            bool(row.get("threshold_crossed"))))
    incident.files = [(name, what) for name, what in DOWNLOADS.items()
                      if (folder / name).is_file()]
    incident.letters = _mail(folder / "letters")
    incident.notices = _mail(folder / "notices")
    return incident


def download_path(folder: Path, name: str) -> Path | None:
    """The file ``name`` names inside ``folder`` if it is a downloadable output, else None."""
    if name in DOWNLOADS:
        target = folder / name
    elif match := _MAIL.fullmatch(name):
        target = folder / match.group(1) / match.group(2)
    else:
        return None
    return target if target.is_file() else None


def _mail(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.glob("*.eml")) if folder.is_dir() else []


def _json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
