"""Recipient notices: ask everyone who received other customers' data to delete it.

One .eml per recipient (``notices/notice-0001.eml``, numbered by address so
that no address is in a file name) saying how many messages and which kinds
of data, never whose: no customer id, name or masked value. notices.csv
lists who was asked, in clear, like exposures.csv.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from jinja2 import Environment

from crossguard.incident import wording
from crossguard.incident.branding import Branding
from crossguard.incident.graph import ExposureGraph
from crossguard.incident.letters import message_id, period

TEMPLATE = "notice.en.txt.j2"
SUBJECT = "Please delete messages you received from us by mistake"
CSV_COLUMNS = ("notice", "recipient", "messages", "kinds", "first_message", "last_message")


@dataclass(frozen=True, slots=True)
class Received:
    """What one recipient received of other customers' data: counts and kinds only."""

    recipient: str
    message_ids: frozenset[str]
    kinds: tuple[str, ...]
    first: datetime | None
    last: datetime | None


def received(graph: ExposureGraph) -> list[Received]:
    """Every recipient of other customers' data, sorted by address."""
    ids: dict[str, set[str]] = {}
    kinds: dict[str, set[str]] = {}
    for edge in graph.edges.values():
        ids.setdefault(edge.recipient, set()).update(edge.message_ids)
        kinds.setdefault(edge.recipient, set()).update(edge.kinds)
    rows = []
    for recipient in sorted(ids):
        dates = [date for key in ids[recipient] if (date := graph.exposing.get(key))]
        rows.append(Received(recipient, frozenset(ids[recipient]), tuple(sorted(kinds[recipient])),
                             min(dates, default=None), max(dates, default=None)))
    return rows


def notice_name(number: int) -> str:
    return f"notice-{number:04d}.eml"


def render_notices(graph: ExposureGraph, *, branding: Branding, issued_at: datetime,
                   env: Environment) -> tuple[dict[str, bytes], str]:
    """The notices by file name, and notices.csv (who was asked, in clear)."""
    files: dict[str, bytes] = {}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    template = env.get_template(TEMPLATE)
    for number, row in enumerate(received(graph), start=1):
        name = notice_name(number)
        module = template.make_module(_variables(row, branding))
        message = EmailMessage()
        if branding.sender:
            message["From"] = f"{branding.company} <{branding.sender}>"
        message["To"] = row.recipient
        message["Subject"] = " ".join(str(getattr(module, "subject", SUBJECT)).split())
        message["Date"] = format_datetime(issued_at)
        message["Message-ID"] = message_id("notice", row.recipient, issued_at, branding)
        message.set_content(str(module), cte="8bit")
        files[name] = message.as_bytes()
        writer.writerow((f"notices/{name}", row.recipient, len(row.message_ids),
                         ";".join(row.kinds), _iso(row.first), _iso(row.last)))
    return files, buffer.getvalue()


def _variables(row: Received, branding: Branding) -> dict[str, Any]:
    return {
        "company": branding.company,
        "contact": branding.contact,
        "dpo_contact": branding.dpo_contact,
        "messages": len(row.message_ids),
        "kinds": list(dict.fromkeys(wording.word(kind) for kind in row.kinds)),
        "period": period(row.first, row.last),
    }


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""
