"""What the message page shows: masked headers, parts with their findings, rules, customers.

The decrypted body is parsed only to list headers and parts; no body text is
ever rendered. Addresses are masked; the Subject and Message-ID come from the
verdict, where the identifiers found in them are masked (an older verdict
without them falls back to masking every word holding digits or an ``@``);
part paths render file names with ``mask_name`` (the Guard's), so no raw
identifier reaches the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from crossguard.core.mask import mask_email, mask_words
from crossguard.errors import CrossguardError
from crossguard.message import ParseLimits, parse_message
from crossguard.store.quarantine import HeldMessage
from crossguard.store.store import Store


@dataclass(slots=True)
class PartView:
    """One part: where it is, what it is, and the findings in it (masked)."""

    path: str
    content_type: str
    filename: str | None
    size: int
    findings: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class MessageView:
    """Everything the message page renders."""

    entry: HeldMessage
    headers: list[tuple[str, str]]
    parts: list[PartView]
    rules: list[dict[str, Any]]
    attributions: list[dict[str, Any]]
    notes: list[dict[str, Any]]
    body_problem: str | None = None


def _shown(verdict: dict[str, Any], key: str, value: str | None) -> str:
    """A header as the verdict stored it (identifiers masked), else every number masked."""
    stored = verdict.get(key)
    if isinstance(stored, str):
        return stored or "-"
    return mask_words(value) if value else "-"


def _addresses(values: list[str]) -> str:
    return ", ".join(mask_email(value) for value in values) or "-"


def build(limits: ParseLimits, store: Store, entry: HeldMessage,
          mask_name: Callable[[str], str] = mask_words) -> MessageView:
    """The page for one quarantine entry; the body is parsed within ``limits``."""
    verdict = entry.verdict
    findings = verdict.get("findings", [])
    view = MessageView(
        entry, [("Envelope from", entry.mail_from), ("Envelope to", ", ".join(entry.rcpts))], [],
        verdict.get("rules", []), verdict.get("attributions", []), verdict.get("notes", []),
    )
    if entry.state == "discarded":
        view.body_problem = "the body was dropped when the message was discarded"
        return view
    try:
        raw = store.quarantine.body(entry.id)
        message = parse_message(raw, limits, mask_name=mask_name)
    except CrossguardError as error:
        view.body_problem = f"the body cannot be shown ({error.code})"
        return view
    view.headers += [
        ("From", _addresses(message.from_)), ("To", _addresses(message.to)),
        ("Cc", _addresses(message.cc)), ("Reply-To", _addresses(message.reply_to)),
        ("Subject", _shown(verdict, "subject", message.subject)), ("Date", message.date or "-"),
        ("Message-ID", _shown(verdict, "message_id", message.message_id)),
    ]
    for part in message.parts:
        view.parts.append(PartView(
            part.path, part.content_type, mask_name(part.filename) if part.filename else None,
            len(part.data), [item for item in findings if item.get("part") == part.path],
        ))
    known = {part.path for part in message.parts}
    orphans = [item for item in findings if item.get("part") not in known]
    if orphans:
        view.parts.append(PartView("(headers, file names, properties, images, nested content)",
                                   "-", None, 0, orphans))
    return view
