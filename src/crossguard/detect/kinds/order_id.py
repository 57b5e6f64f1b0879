"""ORDER_ID: the company's order ids, per ``settings.order_id_pattern``; value upper-cased.

A pattern that requires a digit (``\\d`` or ``0-9``) is searched only around the
text's digit runs (see :class:`~crossguard.detect.base.Run`); any other pattern is searched
over the whole text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from crossguard.core.finding import Finding
from crossguard.detect.base import digit_runs, make_finding
from crossguard.detect.normalize import NormalizedText
from crossguard.detect.settings import DetectSettings
from crossguard.errors import ConfigError

_HIDE = str.maketrans(dict.fromkeys("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", "*"))
_BEFORE, _AFTER = 32, 16


def mask_order_id(value: str) -> str:
    """``ORD-12345678`` -> ``ORD-*****678``: the letter prefix and the last three stay."""
    head = len(value) - len(value.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ-#_ "))
    head = min(head, len(value) // 2)
    tail = min(3, (len(value) - head) // 2)
    cut = len(value) - tail
    return value[:head] + value[head:cut].translate(_HIDE) + value[cut:]


class OrderIdDetector:
    """Finds order ids with the configured pattern (case-insensitive)."""

    name: str = "order_id"
    kinds: tuple[str, ...] = ("ORDER_ID",)

    def __init__(self, settings: DetectSettings) -> None:
        source = settings.order_id_pattern
        try:
            self.pattern = re.compile(source, re.IGNORECASE)
        except re.error as error:
            message = f"detect.order_id_pattern: not a valid regular expression ({error})"
            raise ConfigError(message) from None
        self.near_digits = "\\d" in source or "0-9" in source

    def find(self, text: NormalizedText, part: str) -> Iterator[Finding]:
        body = text.text
        seen: set[tuple[int, int]] = set()
        for start, end in self._windows(text):
            match = self.pattern.search(body, start, end)
            while match is not None:
                span = match.span()
                if span[0] == span[1]:
                    break
                if span not in seen and (span[1] < end or end == len(body)):
                    seen.add(span)
                    value = match.group().upper()
                    masked = mask_order_id(value)
                    yield make_finding(text, "ORDER_ID", part, span, value, masked, 0.9)
                match = self.pattern.search(body, span[1], end)

    def _windows(self, text: NormalizedText) -> list[tuple[int, int]]:
        size = len(text.text)
        if not self.near_digits:
            return [(0, size)]
        windows: list[tuple[int, int]] = []
        for run in digit_runs(text):
            start, end = max(0, run.start - _BEFORE), min(size, run.end + _AFTER)
            if windows and start <= windows[-1][1]:
                windows[-1] = (windows[-1][0], end)
            else:
                windows.append((start, end))
        return windows
