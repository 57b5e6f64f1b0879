"""Candidate fingerprints of one message: findings, name n-grams, street lines, postcodes.

A message costs one keyed hash per distinct token (cached across messages);
n-gram fingerprints are combined from token hashes over numpy arrays.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter

import numpy as np

from crossguard.detect.finding import Finding
from crossguard.detect.mask import mask_middle, mask_name
from crossguard.index import normalize
from crossguard.index.customer_fingerprints import name_pairs
from crossguard.index.fingerprint import Keyer
from crossguard.index.kinds import DOCUMENT_KINDS, FINDING_TO_INDEX, IndexKind
from crossguard.message.model import Part

STREET_MAX_TOKENS = 6
_UK_CA_POSTCODE = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}|[A-Z]\d[A-Z]\d[A-Z]\d")
_LAST4 = re.compile(r"\b(?:ending|ends)\s+(?:in|with)\s+(\d{4})\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Block:
    """Candidates of one kind from one part, as arrays (a whole text's name pairs at once)."""

    fps: np.ndarray
    kind: IndexKind
    part: str
    starts: Sequence[int]
    ends: Sequence[int]
    by_token: bool
    masked: str | None = None


@dataclass(slots=True)
class Candidates:
    """The candidate fingerprints of a message, in blocks; a query number indexes them all.

    Text-derived candidates record their span in word tokens; character spans
    and masks are worked out only for the few that hit.
    """

    blocks: list[_Block] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    _offsets: list[int] = field(default_factory=list)
    _token_spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    _token_iters: dict[str, Iterator[re.Match[str]]] = field(default_factory=dict)

    def add(self, fp: int, kind: IndexKind, part: str, start: int, end: int,
            masked: str | None = None, *, by_token: bool = False) -> None:
        self.blocks.append(_Block(np.array([fp], dtype=np.uint64), kind, part, (start,), (end,),
                                  by_token, masked))

    def extend(self, fps: np.ndarray, kind: IndexKind, part: str,
               starts: Sequence[int], ends: Sequence[int]) -> None:
        if len(fps):
            self.blocks.append(_Block(fps, kind, part, starts, ends, True))

    def array(self) -> np.ndarray:
        """Every fingerprint, in query-number order."""
        self._offsets = [0]
        for block in self.blocks:
            self._offsets.append(self._offsets[-1] + len(block.fps))
        if not self.blocks:
            return np.zeros(0, dtype=np.uint64)
        return np.concatenate([block.fps for block in self.blocks])

    def _locate(self, query: int) -> tuple[_Block, int]:
        index = bisect_right(self._offsets, query) - 1
        return self.blocks[index], query - self._offsets[index]

    def kind(self, query: int) -> IndexKind:
        return self._locate(query)[0].kind

    def part(self, query: int) -> str:
        return self._locate(query)[0].part

    def span(self, query: int) -> tuple[int, int]:
        """Character span of candidate ``query`` in its part's text."""
        block, at = self._locate(query)
        start, end = int(block.starts[at]), int(block.ends[at])
        if not block.by_token:
            return start, end
        if block.part not in self._token_spans:
            self._token_spans[block.part] = []
            self._token_iters[block.part] = normalize.TOKEN.finditer(self.texts[block.part])
        spans, tokens = self._token_spans[block.part], self._token_iters[block.part]
        while len(spans) < end:  # tokens are read only as far as the furthest hit
            spans.append(next(tokens).span())
        return spans[start][0], spans[end - 1][1]

    def mask(self, query: int) -> str:
        """The masked rendering of candidate ``query``."""
        block, _ = self._locate(query)
        if block.masked is not None:
            return block.masked
        start, end = self.span(query)
        text = self.texts[block.part][start:end]
        if block.kind == IndexKind.POSTCODE:
            return mask_middle(text, 2, 0)
        if block.kind == IndexKind.CARD_LAST4:
            return "****"
        return mask_name(" ".join(text.split()))


class TokenHasher:
    """Raw word token -> keyed hash of its folded form, cached (words repeat across mail)."""

    def __init__(self, keyer: Keyer, size: int) -> None:
        self.keyer = keyer
        self._cache: dict[str, int] = {}
        self._size = size

    def __call__(self, raw: str) -> int:
        cached = self._cache.get(raw)
        if cached is None:
            folded = normalize.fold(raw)
            cached = self.keyer.token(normalize.STREET_WORDS.get(folded, folded))
            if len(self._cache) >= self._size:
                self._cache.clear()
            self._cache[raw] = cached
        return cached

    def many(self, words: Sequence[str]) -> np.ndarray:
        """Hashes of ``words`` as uint64, cache hits in one pass."""
        get = self._cache.get
        values = [get(word) for word in words]
        if None in values:
            values = [self(word) if value is None else value
                      for word, value in zip(words, values, strict=True)]
        return np.array(values, dtype=np.uint64)


def from_findings(findings: Iterable[Finding], keyer: Keyer, out: Candidates) -> None:
    """Exact fingerprints of every finding whose kind the index knows."""
    for finding in findings:
        kind = FINDING_TO_INDEX.get(finding.kind)
        if kind is not None:
            value = (normalize.document_number(finding.value) if kind in DOCUMENT_KINDS
                     else finding.value)
            out.add(keyer.exact(kind, value), kind, finding.part, finding.start, finding.end,
                    finding.masked)
        elif finding.kind == "PERSON_NAME":
            for pair in name_pairs(normalize.name_tokens(finding.value)):
                for ordered in (pair, pair[::-1]):
                    out.add(keyer.sequence(ordered, IndexKind.NAME), IndexKind.NAME,
                            finding.part, finding.start, finding.end, finding.masked)
        elif finding.kind == "POSTAL_ADDRESS":
            street = normalize.street_tokens(finding.value)
            if street:
                out.add(keyer.sequence(street, IndexKind.STREET), IndexKind.STREET,
                        finding.part, finding.start, finding.end, finding.masked)


def from_text(part: str, text: str, hasher: TokenHasher, out: Candidates) -> None:
    """Name pairs, street lines and postcodes in ``text`` (spans in word tokens)."""
    words = normalize.TOKEN.findall(text)
    if len(words) < 2:
        return
    out.texts[part] = text
    hashes = hasher.many(words)
    count = len(words)
    starts, pair_ends = range(count - 1), range(2, count + 1)
    for first, second in ((hashes[:-1], hashes[1:]), (hashes[1:], hashes[:-1])):  # "Smith, Jane"
        out.extend(Keyer.combine([first, second], IndexKind.NAME), IndexKind.NAME, part,
                   starts, pair_ends)
    # "Jane Q. Smith": also pair the words around a middle initial.
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=count)
    skips = np.flatnonzero(lengths[1:-1] == 1).tolist()
    if skips:
        index = np.array(skips)
        combined = Keyer.combine([hashes[index], hashes[index + 2]], IndexKind.NAME)
        out.extend(combined, IndexKind.NAME, part, skips, [i + 3 for i in skips])
    _streets(part, words, hashes, out)
    _postcodes(part, text, words, lengths, hasher.keyer, out)


def _streets(part: str, words: Sequence[str], hashes: np.ndarray,
             out: Candidates) -> None:
    """House number followed by 1-5 words: every street line the text could hold."""
    first_chars = map(itemgetter(0), words)
    numbers = np.flatnonzero(np.fromiter(map(str.isdigit, first_chars), dtype=bool,
                                         count=len(words)))
    for length in range(2, STREET_MAX_TOKENS + 1):
        heads = numbers[numbers + length <= len(words)]
        if not len(heads):
            break
        combined = Keyer.combine([hashes[heads + offset] for offset in range(length)],
                                 IndexKind.STREET)
        out.extend(combined, IndexKind.STREET, part, heads.tolist(), (heads + length).tolist())


def _postcodes(part: str, text: str, words: Sequence[str], lengths: np.ndarray,
               keyer: Keyer, out: Candidates) -> None:
    """US ZIP codes, UK and Canadian postcodes (spaced or not), and "card ending in 1234"."""
    for i in np.flatnonzero(lengths == 5).tolist():
        if words[i].isdigit():
            out.add(keyer.exact(IndexKind.POSTCODE, words[i]), IndexKind.POSTCODE, part, i, i + 1,
                    by_token=True)
    for i in np.flatnonzero((lengths >= 5) & (lengths <= 7)).tolist():
        if not words[i].isalpha() and _UK_CA_POSTCODE.fullmatch(words[i].upper()):
            out.add(keyer.exact(IndexKind.POSTCODE, words[i].upper()), IndexKind.POSTCODE, part,
                    i, i + 1, by_token=True)
    for i in np.flatnonzero(lengths[1:] == 3).tolist():  # "SW1A 1AA", "K1A 0B1"
        value = (words[i] + words[i + 1]).upper()
        if words[i + 1][0].isdigit() and _UK_CA_POSTCODE.fullmatch(value):
            out.add(keyer.exact(IndexKind.POSTCODE, value), IndexKind.POSTCODE, part, i, i + 2,
                    by_token=True)
    if "end" in text.lower():
        for match in _LAST4.finditer(text):
            out.add(keyer.exact(IndexKind.CARD_LAST4, match.group(1)), IndexKind.CARD_LAST4,
                    part, match.start(1), match.end(1))


def message_candidates(parts: Sequence[Part], findings: Sequence[Finding], keyer: Keyer,
                       hasher: TokenHasher) -> Candidates:
    """All candidate fingerprints of a message: its findings and its parts' text."""
    out = Candidates()
    from_findings(findings, keyer, out)
    for part in parts:
        if part.text:
            from_text(part.path, part.text, hasher, out)
    return out
