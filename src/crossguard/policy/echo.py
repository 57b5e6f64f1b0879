"""Echoed data: what a recipient wrote, quoted back to them in a reply.

A customer who writes from an address the customer table does not know (a work
address, a new one) gets a reply that quotes their own message, identifiers and
all. Quoting it back shows them nothing they did not write. A customer's
identifiers that stand only in the quoted copy of a message whose author is the
recipient do not expose that customer to that recipient; the sender's own text
may name them (the greeting), and nothing else of theirs.

The quoted copy is found as mail clients write it (the heads are data,
``crossguard/data/quote_heads.toml``): the ``>`` lines below a line naming the
author ("On Mon, 7 Dec 2026, Terry Walker <terry@example.net> wrote:"), or
everything below a quoted header block ("From: Terry Walker <terry@example.net>"
then "Sent: ..."), up to the next quote head. A reply written between ``>``
lines is the sender's own text. A reply's Subject ("Re: Order ORD-4623 not
delivered") repeats what the recipient wrote when each identifier in it stands in
their quoted message too.

:func:`own_text` is the rest, what the sender wrote: ``bulk_send``'s template and
``sensitive_request`` read it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from crossguard.core.attribution import Attribution
from crossguard.core.locales.data import load
from crossguard.message.model import Message

#: Evidence the sender's own text may show: the name a greeting addresses them by.
_GREETING = frozenset({"PERSON_NAME"})
_ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_QUOTE_MARKS = re.compile(r"[ \t]*((?:>[ \t]?)*)")
#: Lines after a header block's author line within which its date line stands.
_BLOCK_LINES = 3


@dataclass(frozen=True, slots=True)
class Quoted:
    """Characters ``start:end`` of a text quote a message written by ``author``."""

    start: int
    end: int
    author: str


@dataclass(frozen=True, slots=True)
class _Line:
    start: int
    end: int
    depth: int
    body: str


@cache
def _heads() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The "wrote" line, a header block's author line and its date line, and a reply's
    subject prefix, any language."""
    tables = load("quote_heads.toml").values()

    def words(key: str) -> str:
        found = {re.escape(word) for table in tables for word in table[key]}
        return "|".join(sorted(found, key=len, reverse=True))

    wrote = re.compile(rf"(?i)(?<!\w)(?:{words('wrote')})(?!\w)[^\n]{{0,80}}:[ \t]*$")
    author = re.compile(rf"(?i)^\*?(?:{words('from')})[ \t]*\*?:")
    date = re.compile(rf"(?i)^\*?(?:{words('sent')})[ \t]*\*?:")
    reply = re.compile(rf"(?i)^[ \t]*(?:{words('reply')})[ \t]*(?:\[\d+\])?[ \t]*:")
    return wrote, author, date, reply


def _lines(text: str) -> list[_Line]:
    """Each line of ``text``: its span, how many times it is quoted, and its text."""
    lines = []
    start = 0
    for raw in text.split("\n"):
        marks = _QUOTE_MARKS.match(raw)
        assert marks is not None  # the pattern matches the empty string
        body = raw[marks.end():].strip()
        lines.append(_Line(start, start + len(raw), marks.group(1).count(">"), body))
        start += len(raw) + 1
    return lines


def _author(*bodies: str) -> str | None:
    """The address in the first of ``bodies`` that holds one; None when it holds several."""
    for body in bodies:
        found = {address.lower() for address in _ADDRESS.findall(body)}
        if found:
            return found.pop() if len(found) == 1 else None
    return None


def quoted(text: str) -> list[Quoted]:
    """The spans of ``text`` that quote a message, each with its author's address."""
    wrote = _heads()[0]
    lines = _lines(text)
    spans = []
    for index, line in enumerate(lines):
        if wrote.search(line.body):
            author = _author(line.body, lines[index - 1].body if index else "")
            inside = _take(lines, index + 1, line.depth + 1)
        elif _header_block(line.body, (later.body for later in
                                       lines[index + 1:index + 1 + _BLOCK_LINES])):
            author = _author(line.body)
            inside = _take(lines, index + 1, line.depth)
        else:
            continue
        if author is not None and inside:
            spans.append(Quoted(line.end, inside[-1].end, author))
    return spans


def own_text(text: str) -> str:
    """What the sender of ``text`` wrote: its lines not marked ``>``, down to the first
    quote head ("wrote" line or quoted header block, any language)."""
    lines = text.splitlines()
    kept = []
    for index, line in enumerate(lines):
        body = line.strip()
        if body.startswith(">"):
            continue
        if ":" in body and _is_head(body, lines[index + 1:index + 1 + _BLOCK_LINES]):
            break
        kept.append(line)
    return "\n".join(kept)


def _is_head(body: str, after: list[str]) -> bool:
    """Whether line ``body`` (stripped, holding a colon as every head does) starts a quote;
    ``after`` are the lines below it."""
    if body.endswith(":") and _heads()[0].search(body):
        return True
    return _header_block(body, (later.strip() for later in after))


def _header_block(body: str, after: Iterable[str]) -> bool:
    """Whether ``body`` is the author line of a quoted header block: its date line is one of
    ``after`` (the next lines, stripped)."""
    _, author_line, date_line, _ = _heads()
    return bool(author_line.match(body)) and any(date_line.match(later) for later in after)


def _take(lines: list[_Line], first: int, depth: int) -> list[_Line]:
    """The lines from ``first`` up to the first one that is not blank and quoted fewer than
    ``depth`` times, without the blank lines that end them."""
    taken = []
    for line in lines[first:]:
        if line.body and line.depth < depth:
            break
        taken.append(line)
    while taken and not taken[-1].body:
        taken.pop()
    return taken


def author_at(spans: list[Quoted], start: int, end: int) -> str | None:
    """Who wrote ``start:end``: the author of the innermost quote holding it (None: the
    sender)."""
    holding = [span for span in spans if span.start <= start and end <= span.end]
    return max(holding, key=lambda span: span.start).author if holding else None


class Quotes:
    """The quoted copies in a message's parts, found once: who wrote what the message
    quotes."""

    def __init__(self, message: Message) -> None:
        self.subject = message.subject or ""
        self.texts = {part.path: part.text for part in message.parts if part.text}
        self._spans: dict[str, list[Quoted]] = {}

    def spans(self, path: str) -> list[Quoted]:
        """The quotes of part ``path``, read when first asked for."""
        if path not in self._spans:
            self._spans[path] = quoted(self.texts.get(path, ""))
        return self._spans[path]

    def echoed(self, attribution: Attribution, address: str) -> bool:
        """Whether all of a customer's identifiers in the message (a greeting's name aside)
        stand in quoted copies of messages ``address`` wrote, or in a reply's Subject that
        repeats them."""
        author = address.lower()
        checked = False
        for evidence in attribution.evidence:
            if evidence.kind in _GREETING:
                continue
            if not evidence.places:
                return False
            if evidence.part == "header:Subject":
                if not _heads()[3].match(self.subject) or any(
                        not self._wrote(self.subject[place.start:place.end], author)
                        for place in evidence.places):
                    return False
            elif any(author_at(self.spans(evidence.part), place.start, place.end) != author
                     for place in evidence.places):
                return False
            checked = True
        return checked

    def _wrote(self, value: str, author: str) -> bool:
        """Whether ``value`` stands in a quoted message of ``author``."""
        return bool(value) and any(value in text[span.start:span.end]
                                   for path, text in self.texts.items()
                                   for span in self.spans(path) if span.author == author)
