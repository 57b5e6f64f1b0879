"""Candidate fingerprints of one message: findings, name n-grams, street lines, postcodes.

A message costs one keyed hash per distinct token (cached across messages);
n-gram fingerprints are combined from token hashes over numpy arrays.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import repeat

import numpy as np
import numpy.typing as npt

from crossguard.core.finding import Finding
from crossguard.core.kinds import DOCUMENT_KINDS, FINDING_TO_INDEX, IndexKind
from crossguard.core.locales.addresses import fold_token
from crossguard.core.locales.data import country
from crossguard.core.locales.postcodes import PostcodeFinder, finder
from crossguard.core.locales.text import WordSplitter
from crossguard.core.mask import mask_middle, mask_name
from crossguard.index import normalize
from crossguard.index.customer_fingerprints import name_pairs
from crossguard.index.fingerprint import COMBINE_MULTIPLIER, U64, Keyer
from crossguard.message.model import Part

STREET_MAX_TOKENS = 6
#: Offsets of a street line's tokens from its house number, as a column.
_LINE_TOKENS = np.arange(STREET_MAX_TOKENS)[:, None]
_UK_CA_POSTCODE = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}|[A-Z]\d[A-Z]\d[A-Z]\d")
_LAST4 = re.compile(r"\b(?:ending|ends)\s+(?:in|with)\s+(\d{4})\b", re.IGNORECASE)
#: A message's word tokens (``normalize.TOKEN``; ASCII text joins with "'" only).
words_of = WordSplitter(normalize.TOKEN, "'")
# Token feature bits (TokenHasher.features).
INITIAL, HOUSE_NUMBER, INWARD_CODE, ZIP, POSTCODE, NAME_WORD, STREET_WORD = (
    1, 2, 4, 8, 16, 32, 64)
Positions = Sequence[int] | npt.NDArray[np.intp]


@dataclass(frozen=True, slots=True)
class Regions:
    """What the countries served change in reading text: their postcodes, and whether
    street lines are also read with the number after the street."""

    postcodes: PostcodeFinder | None = None
    number_after_street: bool = False

    @classmethod
    def of(cls, codes: tuple[str, ...]) -> Regions:
        rules = [found for code in codes if (found := country(code)) is not None]
        return cls(finder(codes) if codes else None,
                   any(rule.number_after_street for rule in rules))


@dataclass(frozen=True, slots=True)
class _Block:
    """Candidates of one kind from one part, as arrays (a whole text's name pairs at once)."""

    fps: np.ndarray
    kind: IndexKind
    part: str
    starts: Positions
    ends: Positions
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
    _token_bounds: dict[str, npt.NDArray[np.intp]] = field(default_factory=dict)

    def add(self, fp: int, kind: IndexKind, part: str, start: int, end: int,
            masked: str | None = None, *, by_token: bool = False) -> None:
        self.blocks.append(_Block(np.array([fp], dtype=np.uint64), kind, part, (start,), (end,),
                                  by_token, masked))

    def extend(self, fps: np.ndarray, kind: IndexKind, part: str,
               starts: Positions, ends: Positions) -> None:
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
        bounds = self._token_bounds.get(block.part)
        if bounds is None:  # worked out once per part, when a candidate of it hits
            bounds = self._token_bounds[block.part] = token_bounds(self.texts[block.part])
        return int(bounds[start, 0]), int(bounds[end - 1, 1])

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


def every_word(token_hashes: U64, kind: IndexKind) -> npt.NDArray[np.bool_]:
    """Any word may be a name or street word (no index to ask)."""
    return np.ones(len(token_hashes), dtype=bool)


class TokenHasher:
    """Raw word token -> keyed hash of its folded form and its feature bits, cached.

    Words repeat across mail, so each distinct word gets a vocabulary id once;
    the id indexes an array of hashes and one of features (what the word can
    be or start: a middle initial, a house number, a postcode, a word of some
    customer's name or street line by ``holds_words``), and a message's words
    cost one dict look-up each; its new words are hashed and asked about
    together. Guard.check runs in several threads: a lock keeps ids, arrays
    and the reset when the cache is full consistent.
    """

    def __init__(self, keyer: Keyer, size: int,
                 holds_words: Callable[[U64, IndexKind], npt.NDArray[np.bool_]] = every_word
                 ) -> None:
        self.keyer = keyer
        self._holds_words = holds_words
        self._size = size
        self._lock = threading.Lock()
        self._ids: dict[str, int] = {}
        self._hashes = np.zeros(1024, dtype=np.uint64)
        self._features = np.zeros(1024, dtype=np.uint8)

    def __call__(self, words: Sequence[str]) -> tuple[U64, npt.NDArray[np.uint8]]:
        """The hashes and feature bits of ``words``; new words are hashed once."""
        with self._lock:
            ids = np.fromiter(map(self._ids.get, words, repeat(-1)), dtype=np.intp,
                              count=len(words))
            missing = np.flatnonzero(ids < 0)
            if len(missing):
                if len(self._ids) + len(missing) > self._size:
                    self._ids.clear()  # bounded: start over rather than track recency
                    missing = np.arange(len(words))
                ids[missing] = self._add([words[i] for i in missing.tolist()])
            return self._hashes[ids], self._features[ids]

    def _add(self, raws: list[str]) -> npt.NDArray[np.intp]:
        """The ids of ``raws``, giving each word not yet known the next id."""
        fresh = [raw for raw in dict.fromkeys(raws) if raw not in self._ids]
        if fresh:
            first, end = len(self._ids), len(self._ids) + len(fresh)
            while end > len(self._hashes):
                self._hashes = np.concatenate([self._hashes, np.zeros_like(self._hashes)])
                self._features = np.concatenate([self._features, np.zeros_like(self._features)])
            tokens = np.fromiter((self.keyer.token(fold_token(raw)) for raw in fresh),
                                 dtype=np.uint64, count=len(fresh))
            features = np.fromiter(map(_features, fresh), dtype=np.uint8, count=len(fresh))
            features[self._holds_words(tokens, IndexKind.NAME)] |= NAME_WORD
            features[self._holds_words(tokens, IndexKind.STREET)] |= STREET_WORD
            self._hashes[first:end] = tokens
            self._features[first:end] = features
            self._ids.update(zip(fresh, range(first, end), strict=True))
        return np.fromiter(map(self._ids.__getitem__, raws), dtype=np.intp, count=len(raws))


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
                out.add(keyer.pair(pair, IndexKind.NAME), IndexKind.NAME, finding.part,
                        finding.start, finding.end, finding.masked)
        elif finding.kind == "POSTAL_ADDRESS":
            street = normalize.street_tokens(finding.value)
            if street:
                out.add(keyer.sequence(street, IndexKind.STREET), IndexKind.STREET,
                        finding.part, finding.start, finding.end, finding.masked)


def token_bounds(text: str) -> npt.NDArray[np.intp]:
    """The (start, end) of each of ``words_of``'s tokens in ``text``, one row each.

    ASCII text (most mail) is read with numpy: runs of letters and digits, two
    runs with one apostrophe between them joined as the token regex joins them
    (``don't``; ``rock'n'roll`` is ``rock'n`` and ``roll``).
    """
    if not text.isascii():
        spans = [match.span() for match in normalize.TOKEN.finditer(text)]
        return np.array(spans, dtype=np.intp).reshape(-1, 2)
    chars = np.frombuffer(text.encode("ascii").translate(words_of.table), dtype=np.uint8)
    inside = np.zeros(len(chars) + 2, dtype=np.bool_)  # a character outside at either end
    np.logical_and(chars != 32, chars != 39, out=inside[1:-1])
    # Where inside and outside change: a run's start, then its end, in turn.
    bounds: npt.NDArray[np.intp] = (inside[1:] != inside[:-1]).nonzero()[0].reshape(-1, 2)
    if "'" in text and len(bounds) > 1:
        ends, next_starts = bounds[:-1, 1], bounds[1:, 0]
        joined = ((next_starts == ends + 1) & (chars[ends] == 39)).nonzero()[0]
        keep = np.ones(len(bounds), dtype=bool)
        for run in joined.tolist():
            if keep[run]:  # not itself the second half of a joined token
                bounds[run, 1] = bounds[run + 1, 1]
                keep[run + 1] = False
        bounds = bounds[keep]
    return bounds


def _features(word: str) -> int:
    """The feature bits of one raw word token."""
    bits = 0
    if len(word) == 1:
        bits |= INITIAL
    if word[0].isdigit():
        bits |= HOUSE_NUMBER
        if len(word) == 3:
            bits |= INWARD_CODE
    if len(word) == 5 and word.isdigit():
        bits |= ZIP
    if 5 <= len(word) <= 7 and not word.isalpha() and _UK_CA_POSTCODE.fullmatch(word.upper()):
        bits |= POSTCODE
    return bits


def from_text(part: str, text: str, hasher: TokenHasher, out: Candidates,
              regions: Regions) -> None:
    """Name pairs, street lines and postcodes in ``text`` (spans in word tokens)."""
    words = words_of(text)
    count = len(words)
    if count < 2:
        return
    out.texts[part] = text
    hashes, features = hasher(words)
    _names(part, hashes, features, out)
    _streets(part, hashes, features, out, regions.number_after_street)
    _postcodes(part, text, words, features, hasher.keyer, out, regions.postcodes)


def _names(part: str, hashes: U64, features: npt.NDArray[np.uint8], out: Candidates) -> None:
    """Every name pair the text could hold: neighbours (either way round: "Smith, Jane"
    too), and the words around a middle initial ("Jane Q. Smith"), in one block.

    Only pairs of two words that customers' names hold, as no other pair can be a
    customer's; a text with none (most, on a small index) stops before any hashing.
    """
    named = (features & NAME_WORD) != 0
    pairs = np.flatnonzero(named[:-1] & named[1:])
    skips = np.flatnonzero(((features[1:-1] & INITIAL) != 0) & named[:-2] & named[2:])
    if not len(pairs) and not len(skips):
        return
    first = np.concatenate([hashes[pairs], hashes[skips]])
    second = np.concatenate([hashes[pairs + 1], hashes[skips + 2]])
    out.extend(Keyer.unordered(first, second, IndexKind.NAME), IndexKind.NAME, part,
               np.concatenate([pairs, skips]), np.concatenate([pairs + 2, skips + 3]))


def _streets(part: str, hashes: U64, features: npt.NDArray[np.uint8], out: Candidates,
             backward: bool) -> None:
    """Every street line the text could hold: a house number with the 1-5 words after it
    ("22 Baker Street") or before it ("Calle Mayor 12", "Nørregade 10").

    Both are fingerprinted as the number followed by the words in written order,
    the index's form. Each house number's next words form one row; a line of
    n + 1 tokens extends the accumulator of the line of n tokens (the arithmetic
    of :meth:`Keyer.combine`). Lines before the number start at a different word
    for each length, so each length is combined on its own; they are read only
    when a country served writes the number after the street (``backward``).
    A line is a candidate only when all its words but the number are words of
    customers' street lines (the index's words): no other line can be a customer's.
    """
    held = (features & STREET_WORD) != 0
    heads = np.flatnonzero(features & HOUSE_NUMBER)
    if len(heads):
        _streets_after(part, hashes, heads, held, out)
        if backward:
            _streets_before(part, hashes, heads, held, out)


def _streets_after(part: str, hashes: U64, heads: npt.NDArray[np.intp],
                   held: npt.NDArray[np.bool_], out: Candidates) -> None:
    """The street lines of :func:`_streets` written after their house number."""
    count = len(hashes)
    heads = heads[held[np.minimum(heads + 1, count - 1)] & (heads + 1 < count)]
    if not len(heads):  # no number has a street word after it
        return
    # One row per token of the line (the number, then its words), one column per number.
    positions = np.minimum(heads + _LINE_TOKENS, count - 1)
    rows = hashes[positions]
    # lines[k]: each number's line of k + 1 words (the line of k words, extended by one).
    lines = np.empty((STREET_MAX_TOKENS - 1, len(heads)), dtype=np.uint64)
    accumulator = rows[0]
    for k, row in enumerate(rows[1:]):
        accumulator = lines[k] = accumulator * COMBINE_MULTIPLIER + row
    ends = heads + _LINE_TOKENS[1:] + 1  # past each line's last token
    whole = (ends <= count) & np.logical_and.accumulate(held[positions[1:]], axis=0)
    _, column = np.nonzero(whole)
    # A single column "combines" to its own finalized value.
    out.extend(Keyer.combine([lines[whole]], IndexKind.STREET), IndexKind.STREET, part,
               heads[column], ends[whole])


def _streets_before(part: str, hashes: U64, heads: npt.NDArray[np.intp],
                    held: npt.NDArray[np.bool_], out: Candidates) -> None:
    """The street lines of :func:`_streets` written before their house number."""
    for words in range(1, STREET_MAX_TOKENS):
        after = heads[heads >= words]
        after = after[np.all(held[after[:, None] - np.arange(1, words + 1)], axis=1)]
        if not len(after):  # no longer line either
            break
        columns = [hashes[after], *(hashes[after - words + i] for i in range(words))]
        out.extend(Keyer.combine(columns, IndexKind.STREET), IndexKind.STREET, part,
                   after - words, after + 1)


def _postcodes(part: str, text: str, words: Sequence[str], features: npt.NDArray[np.uint8],
               keyer: Keyer, out: Candidates, finder: PostcodeFinder | None) -> None:
    """US ZIP codes, UK and Canadian postcodes (spaced or not), the postcodes of the other
    countries served as they are written ("1015 CJ", "1100-053", "111 51"), and
    "card ending in 1234"."""
    for i in np.flatnonzero(features & ZIP).tolist():
        out.add(keyer.exact(IndexKind.POSTCODE, words[i]), IndexKind.POSTCODE, part, i, i + 1,
                by_token=True)
    for i in np.flatnonzero(features & POSTCODE).tolist():
        out.add(keyer.exact(IndexKind.POSTCODE, words[i].upper()), IndexKind.POSTCODE, part,
                i, i + 1, by_token=True)
    for i in np.flatnonzero(features[1:] & INWARD_CODE).tolist():  # "SW1A 1AA", "K1A 0B1"
        value = (words[i] + words[i + 1]).upper()
        if _UK_CA_POSTCODE.fullmatch(value):
            out.add(keyer.exact(IndexKind.POSTCODE, value), IndexKind.POSTCODE, part, i, i + 2,
                    by_token=True)
    for start, end, value in finder.find(text) if finder is not None else ():
        out.add(keyer.exact(IndexKind.POSTCODE, value), IndexKind.POSTCODE, part, start, end)
    for match in last_fours(text):
        out.add(keyer.exact(IndexKind.CARD_LAST4, match.group(1)), IndexKind.CARD_LAST4,
                part, match.start(1), match.end(1))


def last_fours(text: str) -> Iterator[re.Match[str]]:
    """The matches of ``_LAST4`` ("card ending in 1234") in ``text``.

    The pattern is tried only where "end" stands, case aside (no other letter folds to
    e, n or d): run over the whole text, a case-blind pattern is tried at every
    character (50 µs a 3 KB message, against 2 here).
    """
    lowered = text.lower()
    if len(lowered) != len(text):  # "İ" lower-cases to two characters
        yield from _LAST4.finditer(text)
        return
    at = lowered.find("end")
    while at >= 0:
        match = _LAST4.match(text, at)
        if match is not None:
            yield match
        at = lowered.find("end", at + 1)


def message_candidates(parts: Sequence[Part], findings: Sequence[Finding], keyer: Keyer,
                       hasher: TokenHasher, regions: Regions) -> Candidates:
    """All candidate fingerprints of a message: its findings and its parts' text."""
    out = Candidates()
    from_findings(findings, keyer, out)
    for part in parts:
        if part.text:
            from_text(part.path, part.text, hasher, out, regions)
    return out
