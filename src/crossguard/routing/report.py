"""Render a routing audit as text, JSON, Markdown or HTML (all masked)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment

from crossguard.routing.audit import SEVERITIES, RoutingFinding
from crossguard.routing.directory import Directory
from crossguard.routing.model import Problem

FORMATS = ("text", "json", "md", "html")


@dataclass(frozen=True, slots=True)
class AuditReport:
    """Findings and reading problems of one audit run, with directory counts."""

    findings: Sequence[RoutingFinding]
    problems: Sequence[Problem]
    groups: int
    aliases: int

    @classmethod
    def build(cls, directory: Directory, findings: Sequence[RoutingFinding]) -> AuditReport:
        """Count the directory and keep its problems next to the findings."""
        aliases = sum(1 for group in directory.groups() if group.kind == "alias")
        return cls(findings, directory.problems, len(directory) - aliases, aliases)

    def counts(self) -> dict[str, int]:
        """Findings per severity, most severe first."""
        counter = Counter(finding.severity for finding in self.findings)
        return {name: counter[name] for name in reversed(SEVERITIES)}

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return {
            "summary": {"groups": self.groups, "aliases": self.aliases, **self.counts()},
            "findings": [finding.as_dict() for finding in self.findings],
            "problems": [
                {"source": p.source, "level": p.level, "message": p.message}
                for p in self.problems
            ],
        }


def render(report: AuditReport, fmt: str) -> str:
    """The report in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "json":
        return json.dumps(report.as_dict(), indent=2)
    if fmt == "md":
        return _markdown(report)
    if fmt == "html":
        return _HTML.render(report=report, counts=report.counts())
    return _text(report)


def _summary(report: AuditReport) -> str:
    counts = ", ".join(f"{n} {name}" for name, n in report.counts().items() if n)
    return (
        f"{report.groups} groups, {report.aliases} aliases: "
        f"{len(report.findings)} findings ({counts or 'none'}), {len(report.problems)} problems"
    )


def _text(report: AuditReport) -> str:
    lines = [_summary(report)]
    for finding in report.findings:
        lines += [
            "",
            f"[{finding.severity.upper()}] {finding.code}: {finding.address} ({finding.source})",
            f"  {finding.title}: {finding.detail}",
            f"  fix: {finding.fix}",
        ]
    if report.problems:
        lines += ["", "problems:"] + [f"  {problem}" for problem in report.problems]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown(report: AuditReport) -> str:
    lines = ["# Routing audit", "", _summary(report), ""]
    if report.findings:
        lines += [
            "| severity | finding | address | source | detail | fix |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {f.severity} | {f.code} | `{f.address}` | {_cell(f.source)} | "
            f"{_cell(f.detail)} | {_cell(f.fix)} |"
            for f in report.findings
        ]
    if report.problems:
        lines += ["", "## Problems", ""]
        lines += [f"- `{_cell(p.source)}` {p.level}: {_cell(p.message)}" for p in report.problems]
    return "\n".join(lines)


_HTML = Environment(autoescape=True).from_string(
    """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Routing audit</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}
.critical{background:#fdd}.high{background:#fed}.medium{background:#ffd}</style></head>
<body><h1>Routing audit</h1>
<p>{{ report.groups }} groups, {{ report.aliases }} aliases.
{% for name, n in counts.items() if n %}{{ n }} {{ name }}{% if not loop.last %}, {% endif %}
{% endfor %}</p>
{% if report.findings %}<table><tr><th>severity</th><th>finding</th><th>address</th>
<th>source</th><th>detail</th><th>fix</th></tr>
{% for f in report.findings %}<tr class="{{ f.severity }}"><td>{{ f.severity }}</td>
<td>{{ f.code }}</td><td>{{ f.address }}</td><td>{{ f.source }}</td><td>{{ f.detail }}</td>
<td>{{ f.fix }}</td></tr>
{% endfor %}</table>{% else %}<p>No findings.</p>{% endif %}
{% if report.problems %}<h2>Problems</h2><ul>
{% for p in report.problems %}<li>{{ p.source }} {{ p.level }}: {{ p.message }}</li>
{% endfor %}</ul>{% endif %}
</body></html>
"""
)
