"""`crossguard incident report`: render a scan's report, summary and letters again, no rescan.

The exposure graph comes from the scan folder's exposures.jsonl; no archive
and no index are read. An option left out keeps the value the folder's outputs
were last rendered with (recorded in exposures.jsonl), so rendering with the
scan's options gives byte-identical files, and giving only ``--aware-at``
changes only the regulator clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from crossguard.errors import ConfigError
from crossguard.incident.letters import environment, read_contacts
from crossguard.incident.report import Branding, write_rendered
from crossguard.incident.results import RenderOptions, read_results, write_results
from crossguard.incident.summary import clock_of, summary


@dataclass(frozen=True, slots=True)
class ReportRequest:
    """One `crossguard incident report`: the scan folder and the options to change."""

    folder: Path
    aware_at: datetime | None = None
    company: str | None = None
    contact: str | None = None
    contacts_csv: Path | None = None
    template: Path | None = None


def rerender(request: ReportRequest) -> dict[str, Any]:
    """Rewrite report.html, summary.json and letters/ in ``request.folder``; the summary."""
    graph, recorded = read_results(request.folder)
    options = RenderOptions(
        request.aware_at or recorded.aware_at,
        request.company or recorded.company,
        request.contact or recorded.contact,
        request.contacts_csv.resolve() if request.contacts_csv else recorded.contacts_csv,
        request.template.resolve() if request.template else recorded.template,
    )
    if request.contacts_csv is None and options.contacts_csv and not options.contacts_csv.is_file():
        raise ConfigError(f"{options.contacts_csv}: the contacts CSV the letters were written "
                          "with is gone; pass --contacts-csv FILE")
    if request.template is None and options.template and not options.template.is_file():
        raise ConfigError(f"{options.template}: the letter template the letters were written "
                          "with is gone; pass --template FILE")
    env = environment(options.template)
    contacts = read_contacts(options.contacts_csv)
    data = summary(graph, clock_of(graph, options.aware_at))
    write_rendered(request.folder, graph, data, Branding(options.company, options.contact),
                   contacts, env)
    write_results(request.folder, graph, options)
    return data
