"""What the message page shows: masked headers, parts with their findings, rules, customers.

The decrypted body is parsed only to list headers and parts; no body text is
ever rendered. Addresses are masked, and any Subject word holding a digit or an
``@`` is masked too, so that no raw identifier reaches the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from crossguard.core.mask import mask_email, mask_middle
from crossguard.errors import CrossguardError
from crossguard.message import ParseLimits, parse_message
from crossguard.store.quarantine import HeldMessage
from crossguard.store.store import Store

_WORD = re.compile(r"\S+")


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


def mask_text(text: str) -> str:
    """A header text with every word that holds a digit or an ``@`` masked."""

    def mask(match: re.Match[str]) -> str:
        word = match.group(0)
        if "@" in word:
            return mask_email(word.strip("<>,;()\"'"))
        if any(ch.isdigit() for ch in word):
            return mask_middle(word, 0, 2)
        return word

    return _WORD.sub(mask, text)


def _addresses(values: list[str]) -> str:
    return ", ".join(mask_email(value) for value in values) or "-"


def build(limits: ParseLimits, store: Store, entry: HeldMessage) -> MessageView:
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
        message = parse_message(raw, limits)
    except CrossguardError as error:
        view.body_problem = f"the body cannot be shown ({error.code})"
        return view
    view.headers += [
        ("From", _addresses(message.from_)), ("To", _addresses(message.to)),
        ("Cc", _addresses(message.cc)), ("Reply-To", _addresses(message.reply_to)),
        ("Subject", mask_text(message.subject)), ("Date", message.date or "-"),
        ("Message-ID", message.message_id or "-"),
    ]
    for part in message.parts:
        view.parts.append(PartView(
            part.path, part.content_type, mask_text(part.filename) if part.filename else None,
            len(part.data), [item for item in findings if item.get("part") == part.path],
        ))
    known = {part.path for part in message.parts}
    orphans = [item for item in findings if item.get("part") not in known]
    if orphans:
        view.parts.append(PartView("(read from images or nested content)", "-", None, 0, orphans))
    return view
