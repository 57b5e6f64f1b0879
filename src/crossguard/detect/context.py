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
from dataclasses import dataclass
from functools import cache

from crossguard.detect.normalize import NormalizedText
from crossguard.locales.data import LANGUAGES, language_words
from crossguard.locales.text import fold_same_length

_WORD = re.compile(r"[a-z0-9]+")
_STOP = re.compile(r"[.!?](?=\s)|\n[ \t]*\n|\n(?=[ \t]*[^\W\d_][^\n:]{0,30}:)")
_ABBREVIATION = re.compile(r"(?<![a-z0-9])(?:[a-z]{1,3}|[0-9]{1,2})$")
#: The longest stretch either side of a number read as its sentence.
SENTENCE_REACH = 300
#: ASCII characters that are not part of a word, read as spaces.
_SEPARATORS = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalnum()})


@dataclass(frozen=True, slots=True)
class Hit:
    """A context word of ``kind`` at ``start:end`` of the normalized text."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True, slots=True)
class _Kind:
    """The phrases of one kind: their first words, and one pattern matching any of them."""

    firsts: frozenset[str]
    pattern: re.Pattern[str]


class ContextWords:
    """The context words of some languages, by kind (``passport``, ``dob``, ``phone``, ...).

    Phrases are found the cheap way: the set of the text's words (one split) is
    intersected with each kind's first words; only a word that is there is
    looked up in the text, and the kind's pattern matched where it is.
    """

    def __init__(self, languages: tuple[str, ...]) -> None:
        phrases: dict[str, set[tuple[str, ...]]] = {}
        for language in languages:
            for kind, words in language_words(language).items():
                if not isinstance(words, list):
                    continue  # a table (the sensitive-request words)
                for word in words:
                    tokens = tuple(_WORD.findall(fold_same_length(word)))
                    if tokens:
                        phrases.setdefault(kind, set()).add(tokens)
        self._kinds = {
            kind: _Kind(frozenset(tokens[0] for tokens in table), _phrase_pattern(table))
            for kind, table in phrases.items()
        }

    def hits(self, text: NormalizedText, kind: str) -> list[Hit]:
        """The context words of ``kind`` in ``text``, in text order (found once per text)."""
        key = "context:" + kind
        if isinstance(cached := text.cache.get(key), list):
            return cached
        table = self._kinds.get(kind)
        present = table.firsts & _words(text) if table else frozenset()
        found: dict[int, Hit] = {}
        if present:
            folded = _folded(text)
            for word in present:
                at = folded.find(word)
                while at != -1:
                    match = table.pattern.match(folded, at)  # type: ignore[union-attr]
                    if match is not None:
                        found[at] = Hit(at, match.end(), kind)
                    at = folded.find(word, at + len(word))
        hits = [found[start] for start in sorted(found)]
        text.cache[key] = hits
        return hits

    def of_kind(self, text: NormalizedText, kinds: frozenset[str]) -> list[Hit]:
        """The context words of ``kinds`` in ``text``, in text order."""
        hits = [hit for kind in sorted(kinds) for hit in self.hits(text, kind)]
        return sorted(hits, key=lambda hit: hit.start)

    def in_sentence(self, text: NormalizedText, kinds: frozenset[str], start: int, end: int
                    ) -> bool:
        """True when a context word of ``kinds`` is in the sentence holding ``start:end``."""
        hits = [hit for hit in self.of_kind(text, kinds)
                if start - SENTENCE_REACH <= hit.start and hit.end <= end + SENTENCE_REACH]
        if not hits:
            return False
        low, high = sentence(text, start, end)
        return any(low <= hit.start and hit.end <= high for hit in hits)


def _phrase_pattern(table: set[tuple[str, ...]]) -> re.Pattern[str]:
    alternatives = sorted(
        (r"[^a-z0-9\n]{1,3}".join(map(re.escape, tokens)) for tokens in table),
        key=len, reverse=True,
    )
    return re.compile(rf"(?<![a-z0-9])(?:{'|'.join(alternatives)})(?![a-z0-9])")


def _words(text: NormalizedText) -> set[str]:
    """The folded words of ``text`` (split once per text)."""
    cached = text.cache.get("folded_words")
    if isinstance(cached, set):
        return cached
    words = set(_folded(text).translate(_SEPARATORS).split())
    text.cache["folded_words"] = words
    return words


def _folded(text: NormalizedText) -> str:
    cached = text.cache.get("folded")
    if isinstance(cached, str):
        return cached
    folded = fold_same_length(text.text)
    text.cache["folded"] = folded
    return folded


def _is_stop(folded: str, match: re.Match[str]) -> bool:
    """A sentence end, not the dot of "No. 5", "Tel. 0123" or "1. April"."""
    return match.group() != "." or not _ABBREVIATION.search(
        folded, max(0, match.start() - 4), match.start())


def sentence(text: NormalizedText, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence (or label) holding ``start:end``, at most SENTENCE_REACH wide
    on either side."""
    folded = _folded(text)
    low = max(0, start - SENTENCE_REACH)
    for match in _STOP.finditer(folded, low, start):
        if _is_stop(folded, match):
            low = match.end()
    high = min(len(folded), end + SENTENCE_REACH)
    for match in _STOP.finditer(folded, end, high):
        if _is_stop(folded, match):
            high = match.end()
            break
    return low, high


@cache
def shared() -> ContextWords:
    """The context words of every language (one instance shared by the detectors)."""
    return ContextWords(LANGUAGES)
