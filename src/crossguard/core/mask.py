"""Masked renderings of identifiers: enough to recognise, never enough to reuse."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

_WORD = re.compile(r"\S+")


def mask_middle(value: str, keep_start: int = 0, keep_end: int = 4, fill: str = "*") -> str:
    """Keep the first ``keep_start`` and last ``keep_end`` alphanumerics, mask the rest.

    Separators (spaces, dashes, dots) stay in place so the shape is readable.
    Short values are masked more aggressively so that at least half is hidden.
    """
    alnum = [i for i, ch in enumerate(value) if ch.isalnum()]
    total = len(alnum)
    while keep_start + keep_end > total // 2 and (keep_start or keep_end):
        if keep_start >= keep_end and keep_start:
            keep_start -= 1
        else:
            keep_end -= 1
    visible = set(alnum[:keep_start]) | set(alnum[total - keep_end :] if keep_end else [])
    return "".join(ch if (i in visible or not ch.isalnum()) else fill for i, ch in enumerate(value))


def mask_email(address: str) -> str:
    """``john.doe@example.com`` -> ``j***@example.com``."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}" if domain else mask_middle(address, 1, 0)


def mask_card(digits: str) -> str:
    """``4111111111111111`` -> ``4111 **** **** 1111``."""
    middle = len(digits) - 8
    groups = [digits[:4], *(["****"] * max(1, (middle + 3) // 4)), digits[-4:]]
    return " ".join(groups)


def mask_name(name: str) -> str:
    """``Jane Smith`` -> ``J*** S****``."""
    return " ".join(word[:1] + "*" * (len(word) - 1) for word in name.split())


class Span(Protocol):
    """Anything with a span of a text and a masked rendering of it (a Finding)."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def masked(self) -> str: ...


def mask_spans(text: str, spans: Iterable[Span]) -> str:
    """``text`` with each span replaced by its masked rendering (overlaps: the first wins).

    The one way a Subject, Message-ID or file name is rendered for storage or
    display: the identifiers detected in it are masked, the rest stays readable.
    """
    out: list[str] = []
    cursor = 0
    for span in sorted(spans, key=lambda item: (item.start, -item.end)):
        if span.start < cursor or span.end <= span.start or span.end > len(text):
            continue
        out.append(text[cursor:span.start])
        out.append(span.masked)
        cursor = span.end
    out.append(text[cursor:])
    return "".join(out)


def mask_words(text: str) -> str:
    """``text`` with every word that holds three digits or an ``@`` masked.

    The fallback for a Subject or file name read without detectors (a page
    re-reading a stored message): it over-masks rather than show a number.
    """

    def mask(match: re.Match[str]) -> str:
        word = match.group(0)
        if "@" in word:
            return mask_email(word.strip("<>,;()\"'"))
        if sum(ch.isdigit() for ch in word) >= 3:
            return mask_middle(word, 0, 2)
        return word

    return _WORD.sub(mask, text)
