"""Folding text for matching: accents, case, and the spellings of umlauts and ligatures.

Two forms. :func:`fold_word` makes one token comparable however it was typed
(Müller = Mueller = Muller, Nørregade = Norregade = Noerregade, Zoë = Zoe): it is
what customer values and message words are hashed as. :func:`fold_same_length`
keeps one character per character, so that a match in it is a span of the text.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import hyperscan

#: Letters NFKD does not decompose, and the one letter each is read as.
_SINGLE = {"ø": "o", "Ø": "o", "æ": "a", "Æ": "a", "œ": "o", "Œ": "o", "ß": "s", "ł": "l",
           "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "þ": "t", "\u0131": "i", "º": "o", "ª": "a"}
#: Vowel digraphs that stand for an umlaut or a ligature when typed without one (ae, oe,
#: ue); folded on both sides, they make "Mueller" and "Müller" one word.
_DIGRAPHS = re.compile(r"(?<=[a-z])([aou])e|^([aou])e(?=[a-z])")


def _same_length_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        if char in _SINGLE:
            table[code] = _SINGLE[char]
            continue
        base = unicodedata.normalize("NFKD", char)[:1].lower()
        if base.isascii() and base.isalpha():
            table[code] = base
    table.update({ord(k): v for k, v in _SINGLE.items()})
    return table


_TABLE = _same_length_table()


def fold_same_length(text: str) -> str:
    """Lower case, Latin accents removed, one character for each character of ``text``."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few letters lower-case to two characters
        lowered = "".join(char.lower()[:1] for char in text)
    return lowered if lowered.isascii() else lowered.translate(_TABLE)


def alternation(words: Iterable[str], spelled: Mapping[str, str] | None = None) -> str:
    r"""A regex matching any of ``words`` (literals), factored into a trie.

    ``re`` tries the branches of ``a|b|c`` one after another at every position;
    a trie (``ma(?:y|r(?:ch)?)``) tries each character once. Longer words are
    tried first, as in an alternation sorted longest first. A character of
    ``spelled`` is written as its pattern (``{" ": r"\s+"}``), not as itself.
    """
    tree: dict[str, dict[str, Any]] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _branches(tree, spelled or {})


def _branches(node: dict[str, dict[str, Any]], spelled: Mapping[str, str]) -> str:
    alternatives = [(spelled.get(char) or re.escape(char)) + _branches(child, spelled)
                    for char, child in sorted(node.items()) if char]
    if not alternatives:
        return ""
    body = alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"
    return f"(?:{body})?" if "" in node else body


def word_bytes(joiners: str = "") -> bytes:
    """A ``bytes.translate`` table that keeps ASCII letters, digits and ``joiners`` and
    reads every other byte as a space (several times faster than ``str.translate``)."""
    return bytes(c if c < 128 and (chr(c).isalnum() or chr(c) in joiners) else 32
                 for c in range(256))


class WordSplitter:
    """``pattern.findall(text)`` for a pattern of words: runs of letters and digits, single
    ``joiners`` between them. Faster on ASCII text (most mail): one ``bytes.translate``,
    each joiner not standing between two word characters read as a space, and a split.
    When the pattern joins a word only once, a word joined twice (``a'b'c``) is left to it."""

    def __init__(self, pattern: re.Pattern[str], joiners: str) -> None:
        self.pattern = pattern
        self.joiners = joiners
        #: The table of :func:`word_bytes` for these joiners.
        self.table = word_bytes(joiners)
        self._apart = b" " + joiners.encode("ascii")
        apart = re.escape(joiners.encode("ascii"))
        once = any(pattern.fullmatch(f"a{joiner}a{joiner}a") is None for joiner in joiners)
        self._twice = (re.compile(rb"[%b][A-Za-z0-9]+[%b][A-Za-z0-9]" % (apart, apart))
                       if once else None)

    def __call__(self, text: str) -> list[str]:
        if not text.isascii():
            return self.pattern.findall(text)
        spaced = text.encode("ascii").translate(self.table)
        kept = bytearray(spaced)
        last = len(spaced) - 1
        apart = self._apart
        for joiner in apart[1:]:
            at = spaced.find(joiner)
            while at != -1:
                if at == 0 or at == last or spaced[at - 1] in apart or spaced[at + 1] in apart:
                    kept[at] = 32
                at = spaced.find(joiner, at + 1)
        if self._twice is not None and self._twice.search(kept):
            return self.pattern.findall(text)
        return kept.decode("ascii").split()


#: Bytes that are not part of a word, read as spaces.
_SEPARATORS = word_bytes()


@dataclass(frozen=True, slots=True)
class Words:
    """The whole words of one folded text: where the finder's words stand, and a test for
    any other word."""

    starts: dict[str, list[int]]
    #: The text's bytes with every one that is not an ASCII letter or digit read as a space.
    spaced: bytes
    #: The finder's words: those not in ``starts`` are not in the text.
    vocabulary: frozenset[str]

    def __contains__(self, word: str) -> bool:
        if word in self.starts:
            return True
        return (word not in self.vocabulary and word.isascii()
                and f" {word} ".encode("ascii") in self.spaced)


class WordFinder:
    """Where the words of a fixed vocabulary stand as whole words in a folded text.

    One Hyperscan pass over the text's bytes, every byte that is not an ASCII letter
    or digit read as a space: the vocabulary is compiled once into a database of
    literals (each word between two spaces), and a scan runs in C at a few bytes a
    nanosecond. Each thread scans with its own scratch space (Hyperscan's rule).
    Keep the vocabulary to rare words: each occurrence costs a call into Python.
    """

    def __init__(self, words: Iterable[str]) -> None:
        self.vocabulary = frozenset(word for word in words if word.isascii() and word.isalnum())
        self._words = sorted(self.vocabulary)
        self._database: hyperscan.Database | None = None
        if self._words:
            self._database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            self._database.compile(
                expressions=[f" {word} ".encode("ascii") for word in self._words],
                ids=list(range(len(self._words))), elements=len(self._words), flags=0,
                literal=True)
        self._local = threading.local()

    def find(self, folded: str) -> Words:
        """The words of ``folded`` (:func:`fold_same_length`); where the vocabulary's stand."""
        spaced = f" {folded} ".encode("ascii", "replace").translate(_SEPARATORS)
        starts: dict[str, list[int]] = {}
        if self._database is not None:
            words = self._words

            def found(index: int, _start: int, end: int, _flags: int, _context: object
                      ) -> None:
                word = words[index]  # its match ends after the space that follows it
                starts.setdefault(word, []).append(end - len(word) - 2)

            self._database.scan(spaced, match_event_handler=found, scratch=self._scratch())
        return Words(starts, spaced, self.vocabulary)

    def _scratch(self) -> hyperscan.Scratch:
        """This thread's scratch space (two threads scanning with one fail)."""
        scratch: hyperscan.Scratch | None = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = hyperscan.Scratch(self._database)
        return scratch


def fold_word(word: str) -> str:
    """One word as it is compared: folded, with umlaut digraphs read as the plain vowel."""
    folded = word.lower() if word.isascii() else word.casefold()  # ß -> ss
    if not folded.isascii():
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = "".join(ch for ch in decomposed  # "¼": keep "14"
                         if (ch.isalnum() or ch in "'\u2019") and not unicodedata.combining(ch))
        folded = folded.casefold().translate(_TABLE)
    while "e" in folded:  # until none is left: "queen" -> "qun" however often folded
        shorter = _DIGRAPHS.sub(lambda m: m.group(1) or m.group(2), folded)
        if shorter == folded:
            break
        folded = shorter
    return folded
