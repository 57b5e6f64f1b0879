"""`crossguard incident report`: render a scan's outputs again, no rescan.

The exposure graph comes from the scan folder's exposures.jsonl; no archive
and no index are read. An option left out keeps the value the folder's outputs
were last rendered with (recorded in exposures.jsonl), so rendering with the
scan's options gives byte-identical files, and giving only ``--aware-at``
changes only the regulator clock (and the deadlines that follow from it).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from crossguard.errors import ConfigError
from crossguard.incident.branding import Branding
from crossguard.incident.letters import environment
from crossguard.incident.phases import read_changelog
from crossguard.incident.report import write_rendered
from crossguard.incident.results import RenderOptions, read_results, write_results


@dataclass(frozen=True, slots=True)
class ReportRequest:
    """One `crossguard incident report`: the scan folder and the options to change."""

    folder: Path
    aware_at: datetime | None = None
    company: str | None = None
    contact: str | None = None
    contacts_csv: Path | None = None
    template: Path | None = None
    customers_csv: Path | None = None
    issued_at: datetime | None = None
    delay_reason: str | None = None
    branding: Branding | None = None


def updated(recorded: RenderOptions, request: ReportRequest) -> RenderOptions:
    """The recorded options with the request's given ones in their place."""
    branding = request.branding or recorded.branding
    branding = replace(branding, company=request.company or branding.company,
                       contact=request.contact or branding.contact)
    return RenderOptions(
        request.aware_at or recorded.aware_at, branding,
        request.contacts_csv.resolve() if request.contacts_csv else recorded.contacts_csv,
        request.template.resolve() if request.template else recorded.template,
        request.customers_csv.resolve() if request.customers_csv else recorded.customers_csv,
        request.issued_at or recorded.issued_at,
        request.delay_reason or recorded.delay_reason,
    )


def check_recorded_files(options: RenderOptions, request: ReportRequest) -> None:
    """Refuse to render without a file the outputs were written with (it was deleted)."""
    for given, path, what, option in (
        (request.contacts_csv, options.contacts_csv, "contacts CSV", "--contacts-csv"),
        (request.template, options.template, "letter template", "--template"),
        (request.customers_csv, options.customers_csv, "customer table", "--customers"),
    ):
        if given is None and path is not None and not path.is_file():
            raise ConfigError(f"{path}: the {what} the outputs were written with is gone; "
                              f"pass {option} FILE")


def rerender(request: ReportRequest) -> dict[str, Any]:
    """Render every option-dependent output in ``request.folder`` again; the summary."""
    graph, recorded = read_results(request.folder)
    options = updated(recorded, request)
    check_recorded_files(options, request)
    if options.issued_at is None:
        raise ConfigError(f"{request.folder}: written by an older crossguard (no letter date); "
                          "pass --issued-at")
    env = environment(options.template)
    data = write_rendered(request.folder, graph, options, env, read_changelog(request.folder))
    write_results(request.folder, graph, options)
    return data
