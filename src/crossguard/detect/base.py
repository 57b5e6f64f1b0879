"""Helpers every detector shares: digit runs, context words, building a Finding."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from crossguard.core.finding import Finding
from crossguard.detect.normalize import NormalizedText

# Digit groups joined by up to four of what people put between them: spaces,
# dots, dashes, line breaks, and the parentheses of a phone area code. Each
# detector judges the gaps it accepts. The scan is loose (any gap length) and
# cheap; long gaps are split in Python, which is rare. It only yields runs of
# four or more characters, or of two or three digits glued to a letter.
_LOOSE_RUN = re.compile(r"[0-9](?:[0-9 \t.()\r\n-]{2,}[0-9]|(?<=[A-Za-z_][0-9])[0-9]{1,2})")
_DIGITS = re.compile(r"[0-9]+")
_MAX_GAP = 4


@dataclass(slots=True)
class Run:
    """A maximal run of digit groups in normalized text.

    Only runs of four or more characters, or attached ones, are kept: shorter
    runs are no identifier's digits. ``attached`` is true when a letter or an
    underscore precedes the run (``DE89...``, ``ORD12...``): most number kinds
    skip such runs.
    """

    start: int
    end: int
    groups: tuple[tuple[int, int], ...]
    #: How many digits each group holds, and all of them.
    sizes: tuple[int, ...]
    digit_count: int
    attached: bool

    def windows(self, text: str, min_digits: int, max_digits: int) -> Iterator[Window]:
        """Windows of consecutive groups holding ``min_digits..max_digits`` digits.

        Ordered by first group, and for each first group the longest window first.
        """
        groups = self.groups
        for i in range(len(groups)):
            count = 0
            ends: list[int] = []
            for j in range(i, len(groups)):
                count += groups[j][1] - groups[j][0]
                if count > max_digits:
                    break
                if count >= min_digits:
                    ends.append(j + 1)
            for j in reversed(ends):
                yield Window(text, groups[i:j])

    def shaped(self, text: str, sizes: tuple[int, ...]) -> Iterator[Window]:
        """Windows of groups sized exactly ``sizes``, joined by one repeated gap that the
        run does not continue on either side (``123-45-6789`` in ``x 123-45-6789 2024``)."""
        groups = self.groups
        count = len(sizes)
        if count > len(groups) or sum(sizes) > self.digit_count:
            return
        if count == 1 == len(groups):
            if self.digit_count == sizes[0]:
                yield Window(text, groups)
            return
        lengths = self.sizes
        for i in range(len(groups) - count + 1):
            if lengths[i : i + count] != sizes:
                continue
            window = Window(text, groups[i : i + count])
            gaps = set(window.gaps)
            if len(gaps) > 1:
                continue
            if gaps and (
                (i > 0 and text[groups[i - 1][1] : groups[i][0]] in gaps)
                or (
                    i + count < len(groups)
                    and text[groups[i + count - 1][1] : groups[i + count][0]] in gaps
                )
            ):
                continue
            yield window


@dataclass(slots=True)
class Window:
    """Consecutive digit groups of a run, with the gaps between them."""

    text: str
    groups: tuple[tuple[int, int], ...]

    @property
    def start(self) -> int:
        return self.groups[0][0]

    @property
    def end(self) -> int:
        return self.groups[-1][1]

    @property
    def digits(self) -> str:
        return "".join(self.text[start:end] for start, end in self.groups)

    @property
    def sizes(self) -> tuple[int, ...]:
        return _sizes(self.groups)

    @property
    def gaps(self) -> tuple[str, ...]:
        pairs = zip(self.groups, self.groups[1:], strict=False)
        return tuple(self.text[left[1] : right[0]] for left, right in pairs)


def _sizes(groups: tuple[tuple[int, int], ...]) -> tuple[int, ...]:
    """How many digits each group holds."""
    return tuple(end - start for start, end in groups)


def digit_runs(text: NormalizedText) -> list[Run]:
    """All digit runs of ``text``, computed once per text and shared by detectors."""
    cached = text.cache.get("digit_runs")
    if isinstance(cached, list):
        return cached
    body = text.text
    runs: list[Run] = []
    for match in _LOOSE_RUN.finditer(body):
        start, end = match.span()
        chunk = match.group()
        attached = start > 0 and (body[start - 1].isalpha() or body[start - 1] == "_")
        if chunk.isdigit():
            runs.append(Run(start, end, ((start, end),), (end - start,), end - start, attached))
            continue
        groups = [m.span() for m in _DIGITS.finditer(body, start, end)]
        first = 0
        for index in range(1, len(groups) + 1):
            if index < len(groups) and groups[index][0] - groups[index - 1][1] <= _MAX_GAP:
                continue
            piece = groups[first:index]
            run_start, run_end = piece[0][0], piece[-1][1]
            glued = attached and first == 0
            if run_end - run_start >= 4 or (glued and run_end - run_start > 1):
                sizes = _sizes(tuple(piece))
                runs.append(Run(run_start, run_end, tuple(piece), sizes, sum(sizes), glued))
            first = index
    text.cache["digit_runs"] = runs
    return runs


def shaped_windows(text: NormalizedText, *shapes: tuple[int, ...]) -> Iterator[Window]:
    """Windows of each free-standing run grouped exactly as one of ``shapes`` (see Run.shaped)."""
    fewest = min(sum(shape) for shape in shapes)
    for run in digit_runs(text):
        if run.digit_count < fewest or run.attached:
            continue
        for shape in shapes:
            yield from run.shaped(text.text, shape)


def context_hits(
    text: NormalizedText, needles: tuple[str, ...], pattern: re.Pattern[str], reach: int = 30
) -> list[re.Match[str]]:
    """Matches of a context ``pattern``, searched only around cheap ``needles`` (lower-case).

    The needles are found with ``str.find`` on the lower-cased text; the
    pattern then runs within ``reach`` characters of each. Every match must
    contain one of the needles.
    """
    lower = text.lower
    if lower is None:
        return list(pattern.finditer(text.text))
    size = len(lower)
    found: dict[tuple[int, int], re.Match[str]] = {}
    for needle in needles:
        position = lower.find(needle)
        while position != -1:
            stop = min(size, position + len(needle) + reach)
            for match in pattern.finditer(text.text, max(0, position - reach), stop):
                if match.start() <= position < match.end():
                    found[match.span()] = match
            position = lower.find(needle, position + 1)
    return [found[span] for span in sorted(found)]


def context_words(*words: str) -> re.Pattern[str]:
    """A case-insensitive pattern matching any of ``words`` as whole words."""
    alternatives = "|".join(sorted((re.escape(word) for word in words), key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])", re.IGNORECASE)


def has_context(
    text: NormalizedText, start: int, end: int, words: re.Pattern[str], window: int
) -> bool:
    """True when a context word occurs within ``window`` characters before (or just after)."""
    before = max(0, start - window)
    after = min(len(text.text), end + window // 4)
    return words.search(text.text, before, start) is not None or (
        words.search(text.text, end, after) is not None
    )


def make_finding(
    text: NormalizedText,
    kind: str,
    part: str,
    span: tuple[int, int],
    value: str,
    masked: str,
    confidence: float,
) -> Finding:
    """A Finding whose span is mapped back to the original text."""
    start, end = text.to_original(*span) if text.layers else span
    return Finding(kind, part, start, end, masked, confidence, value)
