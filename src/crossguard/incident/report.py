"""Writing a scan's outputs: the CSVs, summary.json, report.html, letters, notices, drafts.

Every file is written 0600 and every folder 0700 (:mod:`files`).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment

from crossguard.core.mask import mask_email
from crossguard.core.private import private_dir
from crossguard.incident import art33, jurisdictions
from crossguard.incident.contacts import Contact, read_contacts
from crossguard.incident.files import remove, replace_folder, write_private
from crossguard.incident.graph import ExposureGraph
from crossguard.incident.letters import MISSING_FILE, environment, letter_name, render_letters
from crossguard.incident.notices import render_notices
from crossguard.incident.phases import write_changelog
from crossguard.incident.residence import Residence, read_customer_residences
from crossguard.incident.results import RenderOptions
from crossguard.incident.summary import clock_of, summary, summary_json, top
from crossguard.incident.timeline import timeline_svg

#: Masked recipients listed per customer in report.html before "and N more".
SHOWN_RECIPIENTS = 12
EXPOSURE_COLUMNS = ("customer_id", "recipient", "kinds", "evidence", "messages", "message_ids",
                    "first_exposure", "last_exposure", "senders", "via_groups")
AFFECTED_COLUMNS = ("customer_id", "kinds", "evidence", "recipients", "messages",
                    "first_exposure", "letter", "language", "residence")


@dataclass(frozen=True, slots=True)
class Inputs:
    """What rendering reads besides the graph: contacts (None: no file) and residences."""

    contacts: dict[str, Contact] | None
    residences: dict[str, Residence]


def read_inputs(options: RenderOptions, graph: ExposureGraph) -> Inputs:
    """The contacts file and the residences of the affected customers."""
    contacts = read_contacts(options.contacts_csv) if options.contacts_csv else None
    wanted = {customer for customer, _ in graph.edges}
    table = read_customer_residences(options.customers_csv, wanted)
    residences = {
        customer: (contacts or {}).get(customer, Contact()).residence.merged(
            table.get(customer, Residence()))
        for customer in sorted(wanted)
    }
    return Inputs(contacts, residences)


def write_outputs(out: Path, graph: ExposureGraph, options: RenderOptions,
                  phases: list[dict[str, Any]]) -> dict[str, Any]:
    """Write every output into ``out``; returns the summary."""
    private_dir(out)
    write_private(out / "exposures.csv", _exposures_csv(graph))
    return write_rendered(out, graph, options, environment(options.template), phases)


def write_rendered(out: Path, graph: ExposureGraph, options: RenderOptions, env: Environment,
                   phases: list[dict[str, Any]]) -> dict[str, Any]:
    """Write what depends on the render options; returns the summary.

    Everything is rendered before the first file is written, so a template
    error leaves the folder as it was.
    """
    assert options.issued_at is not None, "a render needs the letters' date"
    inputs = read_inputs(options, graph)
    clock = clock_of(graph, options.aware_at)
    data = summary(graph, clock)
    branding = options.branding
    letters = render_letters(graph.affected(), inputs.contacts, inputs.residences,
                             branding=branding, issued_at=options.issued_at, env=env)
    notices, notices_csv = render_notices(graph, branding=branding,
                                          issued_at=options.issued_at, env=env)
    draft = art33.draft(graph, clock, branding, residences=inputs.residences,
                        issued_at=options.issued_at, delay_reason=options.delay_reason,
                        notices=len(notices), phases=phases)
    data["outputs"] = {
        "letters": len(letters.files),
        "letters_missing_contacts": len(letters.missing),
        "letter_languages": dict(sorted(Counter(letters.languages.values()).items())),
        "notices": len(notices),
        "jurisdiction_thresholds_crossed": sorted(
            row["jurisdiction"] for row in draft["jurisdictions"] if row["threshold_crossed"]),
    }
    texts = {
        "affected.csv": _affected_csv(data, letters.files, letters.languages, inputs.residences),
        "summary.json": summary_json(data),
        "report.html": render_html(graph, data, branding.company, env),
        "notices.csv": notices_csv,
        "art33.json": art33.draft_json(draft),
        "art33.md": art33.draft_md(draft, env),
        "jurisdictions.csv": jurisdictions.table_csv(draft["jurisdictions"]),
    }
    replace_folder(out / "letters", letters.files)
    replace_folder(out / "notices", notices)
    if letters.missing:
        write_private(out / MISSING_FILE, letters.missing_csv())
    else:
        remove(out / MISSING_FILE)
    for name, text in texts.items():
        write_private(out / name, text)
    write_changelog(out, phases)
    return data


def render_html(graph: ExposureGraph, data: dict[str, Any], company: str,
                env: Environment | None = None) -> str:
    """The self-contained HTML report: no external asset, every address masked."""
    per_recipient: Counter[str] = Counter(edge.recipient for edge in graph.edges.values())
    affected = []
    for row, customer in zip(data["affected"], graph.affected(), strict=True):
        masked = [mask_email(address) for address in customer.recipients]
        affected.append({**row, "masked_recipients": masked[:SHOWN_RECIPIENTS],
                         "more": max(0, len(masked) - SHOWN_RECIPIENTS)})
    template = (env or environment()).get_template("report.html.j2")
    return template.render(
        company=company,
        s=data,
        affected=affected,
        top_recipients=[(mask_email(address), count) for address, count in top(per_recipient)],
        timeline=timeline_svg(date for date in graph.exposing.values() if date),
    )


def _exposures_csv(graph: ExposureGraph) -> str:
    """One row per (customer, recipient): the recipient in clear, the data masked."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPOSURE_COLUMNS)
    for edge in graph.sorted_edges():
        writer.writerow([
            edge.customer_id, edge.recipient, ";".join(edge.kinds),
            ";".join(f"{kind} {masked}" for kind, masked in sorted(edge.evidence)),
            len(edge.message_ids), ";".join(sorted(edge.message_ids)),
            _iso(min(edge.dates, default=None)), _iso(max(edge.dates, default=None)),
            ";".join(sorted(edge.senders)), ";".join(sorted(edge.via_groups)),
        ])
    return buffer.getvalue()


def _affected_csv(data: dict[str, Any], letters: dict[str, bytes], languages: dict[str, str],
                  residences: dict[str, Residence]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(AFFECTED_COLUMNS)
    for row in data["affected"]:
        customer = row["customer_id"]
        name = f"{letter_name(customer)}.eml"
        writer.writerow([
            customer, ";".join(row["kinds"]), ";".join(row["evidence"]),
            row["recipients"], row["messages"], row["first_exposure"] or "",
            f"letters/{name}" if name in letters else "", languages.get(customer, ""),
            jurisdictions.place(residences.get(customer, Residence())),
        ])
    return buffer.getvalue()


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value is not None else ""
