"""Phased incidents: a later scan of newly found archives merges into the same folder.

GDPR Art. 33(4) lets a controller notify in phases. Each scan into a folder
is a phase: before a merge, the folder's current outputs are kept under
``phases/<n>/``, the new messages are folded into the recorded exposure
graph, everything is rendered again, and ``changelog.json`` /
``changelog.md`` say what each phase added (counts and customer ids only).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from crossguard.core.private import private_dir
from crossguard.errors import ConfigError
from crossguard.incident.files import write_private
from crossguard.incident.graph import ExposureGraph

CHANGELOG = "changelog.json"
CHANGELOG_MD = "changelog.md"
PHASES = "phases"


def read_changelog(folder: Path) -> list[dict[str, Any]]:
    """The phases recorded in ``folder`` (empty for a folder without a changelog)."""
    path = folder / CHANGELOG
    if not path.is_file():
        return []
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ConfigError(f"{path}: cannot read ({type(error).__name__})") from None
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: not a crossguard changelog")
    return entries


def keep_phase(folder: Path, number: int) -> Path:
    """Copy the folder's current outputs to ``phases/<number>/`` (0700 / 0600 kept)."""
    target = folder / PHASES / str(number)
    if target.exists():
        raise ConfigError(f"{target}: already exists; this folder's changelog is inconsistent")
    private_dir(target)
    for child in sorted(folder.iterdir()):
        if child.name == PHASES or child.name.startswith("."):
            continue
        if child.is_dir():
            shutil.copytree(child, target / child.name)
        else:
            shutil.copy2(child, target / child.name)
    return target


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What the incident held before a phase: its exposures and the messages read."""

    edges: frozenset[tuple[str, str]] = frozenset()
    read: int = 0

    @classmethod
    def of(cls, graph: ExposureGraph) -> Snapshot:
        return cls(frozenset(graph.edges), graph.read)


def phase_entry(number: int, before: Snapshot, after: ExposureGraph,
                sources: Sequence[Path], issued_at: datetime) -> dict[str, Any]:
    """What phase ``number`` added to the incident held in ``before``."""
    old_edges = before.edges
    old_customers = {customer for customer, _ in old_edges}
    old_recipients = {recipient for _, recipient in old_edges}
    customers = {customer for customer, _ in after.edges}
    recipients = {recipient for _, recipient in after.edges}
    return {
        "phase": number,
        "issued_at": issued_at.isoformat(),
        "sources": [str(path) for path in sources],
        "messages_read": after.read - before.read,
        "affected_customers": len(customers),
        "new_affected_customers": len(customers - old_customers),
        "new_customer_ids": sorted(customers - old_customers),
        "exposures": len(after.edges),
        "new_exposures": len(set(after.edges) - old_edges),
        "recipients": len(recipients),
        "new_recipients": len(recipients - old_recipients),
    }


def write_changelog(folder: Path, entries: list[dict[str, Any]]) -> None:
    write_private(folder / CHANGELOG,
                  json.dumps(entries, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    write_private(folder / CHANGELOG_MD, changelog_md(entries))


def changelog_md(entries: list[dict[str, Any]]) -> str:
    lines = ["# Incident changelog", "",
             "Each phase is one scan into this folder; the outputs of earlier phases are kept "
             f"in `{PHASES}/<n>/`.", ""]
    for entry in entries:
        lines += [
            f"## Phase {entry['phase']} ({entry['issued_at']})", "",
            f"- scanned: {', '.join(entry['sources']) or 'nothing'} "
            f"({entry['messages_read']} messages)",
            f"- affected customers: {entry['affected_customers']} "
            f"({entry['new_affected_customers']} new)",
            f"- exposures: {entry['exposures']} ({entry['new_exposures']} new); "
            f"recipients: {entry['recipients']} ({entry['new_recipients']} new)",
        ]
        if entry["new_customer_ids"]:
            lines.append(f"- newly affected: {', '.join(entry['new_customer_ids'])}")
        lines.append("")
    return "\n".join(lines)
