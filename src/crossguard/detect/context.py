"""Context words of every language in use, found once per text and scoped to sentences.

The words come from every ``crossguard/data/context/<language>.toml`` (a care team
answers in whatever language the customer wrote). A context word
counts for a number anywhere in the same sentence or label: "The passport
number we hold for this order is 451443923" and "Passport No: 451443923" both
put the number in a passport context. A sentence ends at ``.``, ``!`` or ``?``
followed by a space (not after a short abbreviation such as "No." or "Tel."),
at a blank line, or before a line that starts with a new label ("Phone:").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from crossguard.detect.normalize import NormalizedText
from crossguard.locales.data import LANGUAGES, language_words
from crossguard.locales.text import fold_same_length

_WORD = re.compile(r"[a-z0-9]+")
_STOP = re.compile(
    r"(?:(?<![a-z0-9])([a-z]{1,3}|[0-9]{1,2}))?[.!?](?=\s)"
    r"|\n[ \t]*\n|\n(?=[ \t]*[^\W\d_][^\n:]{0,30}:)"
)
#: The longest stretch either side of a number read as its sentence.
SENTENCE_REACH = 300


@dataclass(frozen=True, slots=True)
class Hit:
    """A context word of ``kind`` at ``start:end`` of the normalized text."""

    start: int
    end: int
    kind: str


class ContextWords:
    """The context words of some languages, by kind (``passport``, ``dob``, ``phone``, ...)."""

    def __init__(self, languages: tuple[str, ...]) -> None:
        self.key = "context:" + ",".join(languages)
        phrases: dict[str, dict[tuple[str, ...], set[str]]] = {}
        for language in languages:
            for kind, words in language_words(language).items():
                if not isinstance(words, list):
                    continue  # a table (the sensitive-request words)
                for word in words:
                    tokens = tuple(_WORD.findall(fold_same_length(word)))
                    if tokens:
                        phrases.setdefault(tokens[0], {}).setdefault(tokens, set()).add(kind)
        self._kinds = {tokens: kinds for table in phrases.values()
                       for tokens, kinds in table.items()}
        self._patterns = {first: _phrase_pattern(table) for first, table in phrases.items()}

    def hits(self, text: NormalizedText) -> list[Hit]:
        """Every context word in ``text``, in text order (computed once per text)."""
        cached = text.cache.get(self.key)
        if isinstance(cached, list):
            return cached
        folded = _folded(text)
        found: list[Hit] = []
        for first in self._patterns.keys() & set(_WORD.findall(folded)):
            for match in self._patterns[first].finditer(folded):
                tokens = tuple(_WORD.findall(match.group()))
                found.extend(Hit(match.start(), match.end(), kind)
                             for kind in self._kinds.get(tokens, ()))
        found.sort(key=lambda hit: hit.start)
        text.cache[self.key] = found
        return found

    def of_kind(self, text: NormalizedText, kinds: frozenset[str]) -> list[Hit]:
        """The context words of ``kinds`` in ``text``."""
        return [hit for hit in self.hits(text) if hit.kind in kinds]

    def in_sentence(self, text: NormalizedText, kinds: frozenset[str], start: int, end: int
                    ) -> bool:
        """True when a context word of ``kinds`` is in the sentence holding ``start:end``."""
        hits = self.of_kind(text, kinds)
        if not hits:
            return False
        low, high = sentence(text, start, end)
        return any(low <= hit.start and hit.end <= high for hit in hits)


def _phrase_pattern(table: dict[tuple[str, ...], set[str]]) -> re.Pattern[str]:
    alternatives = sorted(
        (r"[^a-z0-9\n]{1,3}".join(map(re.escape, tokens)) for tokens in table),
        key=len, reverse=True,
    )
    return re.compile(rf"(?<![a-z0-9])(?:{'|'.join(alternatives)})(?![a-z0-9])")


def _folded(text: NormalizedText) -> str:
    cached = text.cache.get("folded")
    if isinstance(cached, str):
        return cached
    folded = fold_same_length(text.text)
    text.cache["folded"] = folded
    return folded


def _stops(text: NormalizedText) -> list[int]:
    """Positions where a sentence ends, computed once per text."""
    cached = text.cache.get("sentence_stops")
    if isinstance(cached, list):
        return cached
    folded = _folded(text)
    stops = [match.end() for match in _STOP.finditer(folded)
             if not match.group(1)]  # "No. 5", "Tel. 0123", "1. April": no stop
    text.cache["sentence_stops"] = stops
    return stops


def sentence(text: NormalizedText, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence (or label) holding ``start:end``, at most SENTENCE_REACH wide
    on either side."""
    stops = _stops(text)
    at = bisect_right(stops, start)
    low = stops[at - 1] if at else 0
    after = bisect_right(stops, end - 1)
    high = stops[after] if after < len(stops) else len(text.text)
    return max(low, start - SENTENCE_REACH), min(high, end + SENTENCE_REACH)


@cache
def shared() -> ContextWords:
    """The context words of every language (one instance shared by the detectors)."""
    return ContextWords(LANGUAGES)
