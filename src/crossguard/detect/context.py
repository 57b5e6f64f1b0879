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

from crossguard.core.locales.data import LANGUAGES, language_words
from crossguard.core.locales.text import WordFinder, Words, alternation, fold_same_length
from crossguard.detect.normalize import NormalizedText

_WORD = re.compile(r"[a-z0-9]+")
#: Sentence ends: ".", "!" or "?" before a space or a line break.
_MARKS = (". ", ".\n", "! ", "!\n", "? ", "?\n")
#: The longest stretch either side of a number read as its sentence.
SENTENCE_REACH = 300
#: The most characters between two words of a phrase ("date of birth", "n. de tel.").
_GAP = 3
#: Phrase words this long are looked for in the one pass over the text.
_LONG_WORD = 4


@dataclass(frozen=True, slots=True)
class Hit:
    """A context word of ``kind`` at ``start:end`` of the normalized text."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True, slots=True)
class _Kind:
    """The phrases of one kind: each phrase's other words by its longest word, and one
    pattern."""

    by_needle: dict[str, list[frozenset[str]]]
    #: Needles that begin every phrase they stand for: the pattern is matched right there.
    starts: frozenset[str]
    #: How far a phrase holding each needle can reach before and after it (characters).
    reach: dict[str, tuple[int, int]]
    pattern: re.Pattern[str]


class ContextWords:
    """The context words of some languages, by kind (``passport``, ``dob``, ``phone``, ...).

    Phrases are found the cheap way: a phrase can only be in a text holding
    all of its words, and is looked for where its longest word stands (the longest
    words are found in one pass over the text).
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
        self._kinds: dict[str, _Kind] = {}
        for kind, table in phrases.items():
            by_needle: dict[str, list[frozenset[str]]] = {}
            for tokens in table:
                needle = max(tokens, key=len)
                by_needle.setdefault(needle, []).append(frozenset(tokens) - {needle})
            reach = {needle: _reach(table, needle) for needle in by_needle}
            starts = frozenset(needle for needle, (before, _) in reach.items() if before == 0)
            self._kinds[kind] = _Kind(by_needle, starts, reach, _phrase_pattern(table))
        # The longest word of each phrase, and the phrases' other words of four letters
        # or more (rare words, mostly absent: a miss costs a scan of the text). Short
        # words (de, of, no) are frequent and left out: they are tested in the text.
        self._finder = WordFinder(
            {needle for table in self._kinds.values() for needle in table.by_needle}
            | {token for table in phrases.values() for tokens in table for token in tokens
               if len(token) >= _LONG_WORD})

    def hits(self, text: NormalizedText, kind: str) -> list[Hit]:
        """The context words of ``kind`` in ``text``, in text order (found once per text)."""
        key = "context:" + kind
        if isinstance(cached := text.cache.get(key), list):
            return cached
        table = self._kinds.get(kind)
        found: dict[int, Hit] = {}
        if table is not None:
            words = self._words(text)
            needles = [needle for needle in table.by_needle.keys() & words.starts.keys()
                       if any(all(token in words for token in others)
                              for others in table.by_needle[needle])]
            folded = _folded(text) if needles else ""
            # Found words stand between ASCII non-word characters; in a text that is not
            # all ASCII, a letter such as "ж" beside one still makes it part of a word.
            bounded = folded.isascii()
            for needle in needles:
                for at in words.starts[needle]:
                    after = at + len(needle)
                    if bounded or ((at == 0 or not folded[at - 1].isalnum()) and (
                            after == len(folded) or not folded[after].isalnum())):
                        if needle in table.starts:
                            match = table.pattern.match(folded, at)
                            matches = [match] if match is not None else []
                        else:
                            before, beyond = table.reach[needle]
                            window = max(0, at - before), after + beyond
                            matches = list(table.pattern.finditer(folded, *window))
                        for match in matches:
                            if match.start() <= at < match.end():
                                found[match.start()] = Hit(match.start(), match.end(), kind)
        hits = [found[start] for start in sorted(found)]
        text.cache[key] = hits
        return hits

    def _words(self, text: NormalizedText) -> Words:
        """The words of ``text``, with where each phrase's longest word stands (once per text)."""
        cached = text.cache.get("context_words")
        if isinstance(cached, Words):
            return cached
        words = self._finder.find(_folded(text))
        text.cache["context_words"] = words
        return words

    def of_kind(self, text: NormalizedText, kinds: frozenset[str]) -> list[Hit]:
        """The context words of ``kinds`` in ``text``, in text order."""
        if len(kinds) == 1:
            return self.hits(text, next(iter(kinds)))
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


def _reach(table: set[tuple[str, ...]], word: str) -> tuple[int, int]:
    """How far before and after ``word`` a phrase of ``table`` holding it can reach."""
    before = after = 0
    for tokens in table:
        for index, token in enumerate(tokens):
            if token == word:
                before = max(before, sum(map(len, tokens[:index])) + _GAP * index)
                rest = tokens[index + 1 :]
                after = max(after, sum(map(len, rest)) + _GAP * len(rest))
    return before, after


def _phrase_pattern(table: set[tuple[str, ...]]) -> re.Pattern[str]:
    phrases = alternation((" ".join(tokens) for tokens in table),
                          {" ": rf"[^a-z0-9\n]{{1,{_GAP}}}"})
    return re.compile(rf"(?<![a-z0-9])(?:{phrases})(?![a-z0-9])")


def _folded(text: NormalizedText) -> str:
    cached = text.cache.get("folded")
    if isinstance(cached, str):
        return cached
    folded = fold_same_length(text.text)
    text.cache["folded"] = folded
    return folded


def _abbreviation(folded: str, dot: int) -> bool:
    """True for the dot of "No. 5", "Tel. 0123", "1. April" or a label before its number
    ("Steuer-IdNr. 365..."): no sentence end."""
    word = folded[max(0, dot - 4) : dot]
    word = word[len(word.rstrip("abcdefghijklmnopqrstuvwxyz0123456789")) :]
    if (word.isalpha() and len(word) <= 3) or (word.isdigit() and len(word) <= 2):
        return True
    return word.isalpha() and folded[dot + 1 : dot + 3].lstrip(" ")[:1].isdigit()


def _label_line(folded: str, start: int) -> bool:
    """True when the line starting at ``start`` begins with a label ("Phone: ...")."""
    colon = folded.find(":", start, start + 32)
    newline = folded.find("\n", start, colon) if colon != -1 else -1
    return colon != -1 and newline == -1 and folded[start:colon].strip()[:1].isalpha()


def _low(folded: str, start: int, floor: int) -> int:
    """Where the sentence holding ``start`` begins (not before ``floor``)."""
    blank = folded.rfind("\n\n", floor, start)
    low = blank + 2 if blank != -1 else floor
    line = folded.rfind("\n", low, start)
    line = line + 1 if line != -1 else low
    if line > low and _label_line(folded, line):
        low = line
    for mark in _MARKS:
        at = folded.rfind(mark, low, start)
        while at != -1 and mark[0] == "." and _abbreviation(folded, at):
            at = folded.rfind(mark, low, at)
        if at != -1:
            low = at + len(mark)
    return low


def _high(folded: str, end: int, ceiling: int) -> int:
    """Where the sentence holding ``end`` ends (not after ``ceiling``)."""
    high = ceiling
    blank = folded.find("\n\n", end, high)
    if blank != -1:
        high = blank
    line = folded.find("\n", end, high)
    while line != -1:
        if _label_line(folded, line + 1):
            high = line
            break
        line = folded.find("\n", line + 1, high)
    for mark in _MARKS:
        at = folded.find(mark, end, high)
        while at != -1 and mark[0] == "." and _abbreviation(folded, at):
            at = folded.find(mark, at + 1, high)
        if at != -1:
            high = at + 1
    return high


def sentence(text: NormalizedText, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence (or label) holding ``start:end``, at most SENTENCE_REACH wide
    on either side."""
    folded = _folded(text)
    return (_low(folded, start, max(0, start - SENTENCE_REACH)),
            _high(folded, end, min(len(folded), end + SENTENCE_REACH)))


@cache
def shared() -> ContextWords:
    """The context words of every language (one instance shared by the detectors)."""
    return ContextWords(LANGUAGES)
