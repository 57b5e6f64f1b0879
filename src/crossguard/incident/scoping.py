"""Incident scoping end to end: archives in, exposure graph built, outputs written.

Besides the human-readable outputs the scan writes exposures.jsonl, from
which :mod:`crossguard.incident.rerender` renders them again without a rescan.
With ``merge`` the scan is a new phase of the incident already in ``out``:
its new messages are folded into the recorded graph (:mod:`phases`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crossguard.errors import ConfigError
from crossguard.incident.branding import Branding
from crossguard.incident.graph import ExposureGraph, Filters
from crossguard.incident.phases import Snapshot, keep_phase, phase_entry, read_changelog
from crossguard.incident.report import write_outputs
from crossguard.incident.rerender import ReportRequest, check_recorded_files, updated
from crossguard.incident.results import RenderOptions, read_results, write_results
from crossguard.incident.runner import Cluster, Progress, run_scan
from crossguard.incident.settings import IncidentSettings
from crossguard.incident.worker import guard_for
from crossguard.scan import GuardSpec


@dataclass(frozen=True, slots=True)
class ScopeRequest:
    """One `crossguard incident scan`: what to read, where to write, how to run."""

    paths: Sequence[Path]
    out: Path
    cluster: Cluster = field(default_factory=Cluster)
    filters: Filters = field(default_factory=Filters)
    aware_at: datetime | None = None
    company: str | None = None
    contact: str | None = None
    contacts_csv: Path | None = None
    customers_csv: Path | None = None
    issued_at: datetime | None = None
    delay_reason: str | None = None
    merge: bool = False


def scope(spec: GuardSpec, settings: IncidentSettings, request: ScopeRequest,
          progress: Progress | None = None) -> tuple[ExposureGraph, dict[str, Any]]:
    """Scan the archives with Guards built from ``spec``; write every output into ``request.out``.

    Returns the graph and the summary. Give ``spec`` an absolute index path.
    """
    before, options, phases = _start(settings, request)
    if request.cluster.scheduler is None:
        guard_for(spec)  # a bad key, index or config fails here, before any worker starts
    outcomes = run_scan(spec, request.paths, request.cluster, progress)
    graph = before or ExposureGraph(request.filters)
    snapshot = Snapshot.of(graph)
    for outcome in outcomes:
        graph.add(outcome)
    phases.append(phase_entry(len(phases) + 1, snapshot, graph, request.paths,
                              options.issued_at or _now()))
    if before is not None:
        keep_phase(request.out, len(phases) - 1)
    data = write_outputs(request.out, graph, options, phases)
    write_results(request.out, graph, options)
    return graph, data


def _start(settings: IncidentSettings, request: ScopeRequest
           ) -> tuple[ExposureGraph | None, RenderOptions, list[dict[str, Any]]]:
    """The recorded graph, options and phases to merge into, or a fresh start."""
    issued_at = request.issued_at or _now()
    given = ReportRequest(request.out, request.aware_at, request.company, request.contact,
                          request.contacts_csv, None, request.customers_csv, issued_at,
                          request.delay_reason)
    if not request.merge:
        fresh = RenderOptions(branding=Branding.from_settings(settings))
        return None, updated(fresh, given), []
    graph, recorded = read_results(request.out)
    if graph.filters != request.filters:
        raise ConfigError(f"{request.out}: --merge needs the same filters as the earlier "
                          f"scan ({graph.filters.as_dict()})")
    options = updated(recorded, given)
    check_recorded_files(options, given)
    phases = read_changelog(request.out) or [
        phase_entry(1, Snapshot(), graph, [], recorded.issued_at or issued_at)]
    return graph, options, phases


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)
