"""Incident scoping end to end: archives in, exposure graph built, outputs written.

Besides the human-readable outputs the scan writes exposures.jsonl, from
which :mod:`crossguard.incident.rerender` renders them again without a rescan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from crossguard.incident.graph import ExposureGraph, Filters, build_graph
from crossguard.incident.letters import read_contacts
from crossguard.incident.report import Branding, write_outputs
from crossguard.incident.results import RenderOptions, write_results
from crossguard.incident.runner import Cluster, Progress, run_scan
from crossguard.incident.settings import IncidentSettings
from crossguard.incident.summary import clock_of
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


def scope(spec: GuardSpec, settings: IncidentSettings, request: ScopeRequest,
          progress: Progress | None = None) -> tuple[ExposureGraph, dict[str, Any]]:
    """Scan the archives with Guards built from ``spec``; write every output into ``request.out``.

    Returns the graph and the summary. Give ``spec`` an absolute index path.
    """
    contacts = read_contacts(request.contacts_csv)
    if request.cluster.scheduler is None:
        guard_for(spec)  # a bad key, index or config fails here, before any worker starts
    outcomes = run_scan(spec, request.paths, request.cluster, progress)
    graph = build_graph(outcomes, request.filters)
    branding = Branding(request.company or settings.company_name,
                        request.contact or settings.contact)
    data = write_outputs(request.out, graph, clock_of(graph, request.aware_at), branding,
                         contacts)
    write_results(request.out, graph, RenderOptions(
        request.aware_at, branding.company, branding.contact,
        request.contacts_csv.resolve() if request.contacts_csv else None))
    return graph, data
