"""exposures.jsonl: the scan's exposure graph, machine-readable, to re-render the outputs.

One JSON object per line. The first is the header (format, version, the
message counts, the filters and the render options the outputs in the folder
were written with); then every malformed message, every exposing message with
its date, every sender of exposing mail with its message count, and every
edge. Evidence is masked; the only addresses in clear are the recipients and
senders that exposures.csv also holds, so the file is personal data like it.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from crossguard.core.private import open_private
from crossguard.errors import ConfigError
from crossguard.incident.graph import Edge, ExposureGraph, Filters

FILE_NAME = "exposures.jsonl"
FORMAT = "crossguard-incident-exposures"
VERSION = 1


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """What the report, summary and letters in a scan folder were rendered with."""

    aware_at: datetime | None = None
    company: str = ""
    contact: str = ""
    contacts_csv: Path | None = None
    template: Path | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "aware_at": _iso(self.aware_at),
            "company": self.company,
            "contact": self.contact,
            "contacts_csv": str(self.contacts_csv) if self.contacts_csv else None,
            "template": str(self.template) if self.template else None,
        }


def write_results(folder: Path, graph: ExposureGraph, options: RenderOptions) -> Path:
    """Write ``folder/exposures.jsonl`` (replaced atomically); returns its path."""
    path = folder / FILE_NAME
    partial = folder / f".{FILE_NAME}.partial"
    with open_private(partial, "w", encoding="utf-8", newline="\n") as handle:
        for record in _records(graph, options):
            handle.write(json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n")
    os.replace(partial, path)
    return path


def read_results(folder: Path) -> tuple[ExposureGraph, RenderOptions]:
    """The exposure graph and render options of the scan output in ``folder``."""
    path = _results_path(folder)
    try:
        with path.open(encoding="utf-8") as handle:
            lines = enumerate(handle, start=1)
            graph, options = _start(path, _header(path, next(lines, (1, ""))[1]))
            for number, line in lines:
                try:
                    _fold(graph, json.loads(line))
                except (ValueError, KeyError, TypeError, AttributeError) as error:
                    raise ConfigError(f"{path}: line {number} is unreadable "
                                      f"({type(error).__name__})") from None
            return graph, options
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read ({type(error).__name__})") from None


def _results_path(folder: Path) -> Path:
    """``folder/exposures.jsonl``, or a ConfigError saying why the folder is no scan output."""
    if not folder.is_dir():
        raise ConfigError(f"{folder}: not a crossguard incident scan output (no such folder)")
    path = folder / FILE_NAME
    if path.is_file():
        return path
    if (folder / "summary.json").is_file() and (folder / "exposures.csv").is_file():
        raise ConfigError(f"{folder}: this scan output has no {FILE_NAME} (written by an older "
                          "crossguard); run `crossguard incident scan` again")
    raise ConfigError(f"{folder}: not a crossguard incident scan output (no {FILE_NAME}; "
                      "give the --out folder of `crossguard incident scan`)")


def _header(path: Path, line: str) -> dict[str, Any]:
    try:
        header = json.loads(line)
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ConfigError(f"{path}: not a crossguard exposures file")
    if header.get("version") != VERSION:
        raise ConfigError(f"{path}: exposures file version {header.get('version')!r} is not "
                          f"supported (expected {VERSION})")
    return header


def _records(graph: ExposureGraph, options: RenderOptions) -> Iterator[dict[str, Any]]:
    yield {"format": FORMAT, "version": VERSION, "read": graph.read,
           "evaluated": graph.evaluated, "outside_filters": graph.outside_filters,
           "filters": graph.filters.as_dict(), "options": options.as_dict()}
    for source, error in graph.malformed:
        yield {"record": "malformed", "source": source, "error": error}
    for key, date in graph.exposing.items():
        yield {"record": "message", "id": key, "date": _iso(date)}
    for sender, count in sorted(graph.senders.items()):
        yield {"record": "sender", "sender": sender, "messages": count}
    for edge in graph.sorted_edges():
        yield {"record": "edge", "customer_id": edge.customer_id, "recipient": edge.recipient,
               "evidence": sorted(edge.evidence), "message_ids": sorted(edge.message_ids),
               "dates": [date.isoformat() for date in edge.dates],
               "senders": sorted(edge.senders), "via_groups": sorted(edge.via_groups)}


def _start(path: Path, header: dict[str, Any]) -> tuple[ExposureGraph, RenderOptions]:
    """The empty graph (counts and filters) and the render options of the header."""
    try:
        filters, options = header["filters"], header["options"]
        graph = ExposureGraph(
            Filters(_when(filters["since"]), _when(filters["until"]),
                    filters["sender_domain"], filters["recipient_domain"]),
            read=int(header["read"]), evaluated=int(header["evaluated"]),
            outside_filters=int(header["outside_filters"]), senders=Counter(),
        )
        return graph, RenderOptions(_when(options["aware_at"]), str(options["company"]),
                                    str(options["contact"]), _path(options["contacts_csv"]),
                                    _path(options["template"]))
    except (ValueError, KeyError, TypeError) as error:
        raise ConfigError(f"{path}: line 1 (header) is unreadable "
                          f"({type(error).__name__})") from None


def _fold(graph: ExposureGraph, record: dict[str, Any]) -> None:
    """Add one record after the header back into ``graph``."""
    kind = record["record"]
    if kind == "malformed":
        graph.malformed.append((str(record["source"]), str(record["error"])))
    elif kind == "message":
        graph.exposing[str(record["id"])] = _when(record["date"])
    elif kind == "sender":
        graph.senders[str(record["sender"])] = int(record["messages"])
    elif kind == "edge":
        edge = Edge(str(record["customer_id"]), str(record["recipient"]),
                    {(str(name), str(masked)) for name, masked in record["evidence"]},
                    {str(key) for key in record["message_ids"]},
                    [datetime.fromisoformat(date) for date in record["dates"]],
                    {str(sender) for sender in record["senders"]},
                    {str(group) for group in record["via_groups"]})
        graph.edges[edge.customer_id, edge.recipient] = edge
    else:
        raise ValueError("unknown record")


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _path(text: str | None) -> Path | None:
    return Path(text) if text else None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
