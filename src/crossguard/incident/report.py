"""Writing a scan's outputs: report.html, affected.csv, exposures.csv, summary.json, letters/."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment

from crossguard.core.mask import mask_email
from crossguard.core.private import open_private, private_dir, write_private
from crossguard.incident.graph import ExposureGraph
from crossguard.incident.letters import Contact, environment, letter_name, write_letters
from crossguard.incident.summary import Clock, summary, summary_json, top
from crossguard.incident.timeline import timeline_svg

#: Masked recipients listed per customer in report.html before "and N more".
SHOWN_RECIPIENTS = 12
EXPOSURE_COLUMNS = ("customer_id", "recipient", "kinds", "evidence", "messages", "message_ids",
                    "first_exposure", "last_exposure", "senders", "via_groups")
AFFECTED_COLUMNS = ("customer_id", "kinds", "evidence", "recipients", "messages",
                    "first_exposure", "letter")


@dataclass(frozen=True, slots=True)
class Branding:
    """Who the report and the letters come from."""

    company: str
    contact: str


def write_outputs(out: Path, graph: ExposureGraph, clock: Clock, branding: Branding,
                  contacts: dict[str, Contact]) -> dict[str, Any]:
    """Write every output into ``out``; returns the summary."""
    private_dir(out)
    data = summary(graph, clock)
    _write_exposures(out / "exposures.csv", graph)
    _write_affected(out / "affected.csv", data)
    write_rendered(out, graph, data, branding, contacts, environment())
    return data


def write_rendered(out: Path, graph: ExposureGraph, data: dict[str, Any], branding: Branding,
                   contacts: dict[str, Contact], env: Environment) -> None:
    """Write what depends on the render options: summary.json, letters/ and report.html.

    Everything is rendered before the first file is written, so a template
    error leaves the folder as it was.
    """
    html = render_html(graph, data, branding, env)
    write_letters(out / "letters", graph.affected(), contacts,
                  company=branding.company, sender=branding.contact, env=env)
    write_private(out / "summary.json", summary_json(data))
    write_private(out / "report.html", html)


def render_html(graph: ExposureGraph, data: dict[str, Any], branding: Branding,
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
        company=branding.company,
        s=data,
        affected=affected,
        top_recipients=[(mask_email(address), count) for address, count in top(per_recipient)],
        timeline=timeline_svg(date for date in graph.exposing.values() if date),
    )


def _write_exposures(path: Path, graph: ExposureGraph) -> None:
    """One row per (customer, recipient): the recipient in clear, the data masked."""
    with open_private(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(EXPOSURE_COLUMNS)
        for edge in graph.sorted_edges():
            writer.writerow([
                edge.customer_id, edge.recipient, ";".join(edge.kinds),
                ";".join(f"{kind} {masked}" for kind, masked in sorted(edge.evidence)),
                len(edge.message_ids), ";".join(sorted(edge.message_ids)),
                _iso(min(edge.dates, default=None)), _iso(max(edge.dates, default=None)),
                ";".join(sorted(edge.senders)), ";".join(sorted(edge.via_groups)),
            ])


def _write_affected(path: Path, data: dict[str, Any]) -> None:
    with open_private(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(AFFECTED_COLUMNS)
        for row in data["affected"]:
            writer.writerow([
                row["customer_id"], ";".join(row["kinds"]), ";".join(row["evidence"]),
                row["recipients"], row["messages"], row["first_exposure"] or "",
                f"letters/{letter_name(row['customer_id'])}.eml",
            ])


def _iso(value: Any) -> str:
    return value.isoformat() if value is not None else ""
