"""The customer index: a folder of immutable segments listed by a manifest.

``base`` segments come from ``index build`` and ``index compact``; ``delta``
segments from ``index add`` / ``index remove`` carry new rows and tombstones
(customer ids whose rows in older segments no longer count).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt

from crossguard.core.kinds import IndexKind
from crossguard.core.private import write_private
from crossguard.errors import IndexFormatError, IndexKeyError
from crossguard.index.fingerprint import KIND_MASK, U64, key_check_value, kind_of, word_keys
from crossguard.index.segment import BucketTable, Segment

MANIFEST = "manifest.json"
#: 2: name pairs fingerprinted whichever way round (format 1 kept their written order).
MANIFEST_FORMAT = 2


@dataclass(frozen=True, slots=True)
class Hit:
    """A query fingerprint found in the index."""

    query: int
    customer_id: str
    kind: IndexKind
    owners: int


_FEW_QUERIES = 64


@dataclass(frozen=True, slots=True)
class _Match:
    """A distinct query value found in one segment: its owners' rows there, and the run
    of the sorted queries that holds its positions."""

    segment: int
    kind: IndexKind
    first: int
    last: int
    owners: int
    rows: list[int]


@dataclass(frozen=True, slots=True)
class _Buckets:
    """Where each bucket of a segment's fingerprints (same top bits) starts.

    A lookup narrows every query to its bucket with one gather, then binary-searches
    all queries together, one step at a time: the steps' gathers are independent, so
    their cache misses overlap, where ``np.searchsorted`` waits out each query's in turn
    (about 4x faster for ~1,000 queries against 10 million fingerprints).
    """

    shift: np.uint64
    starts: npt.NDArray[np.intp]
    steps: int

    @classmethod
    def of(cls, table: BucketTable) -> _Buckets:
        """The segment's stored table (written with it: opening computes nothing)."""
        return cls(np.uint64(64 - table.bits), table.starts, table.steps)

    def left(self, fps: npt.NDArray[np.uint64], queries: npt.NDArray[np.uint64]
             ) -> npt.NDArray[np.intp]:
        """``np.searchsorted(fps, queries)``: the first position not below each query."""
        if len(queries) < _FEW_QUERIES:  # the steps' fixed cost outweighs their gain
            return np.searchsorted(fps, queries)
        bucket = (queries >> self.shift).astype(np.intp)
        low, size = self.starts[bucket], self.starts[bucket + 1] - self.starts[bucket]
        last = len(fps) - 1
        for _ in range(self.steps):
            half = size >> 1
            middle = low + half
            below = (fps[np.minimum(middle, last)] < queries) & (size > 0)
            low = np.where(below, middle + 1, low)
            size = np.where(below, size - half - 1, half)
        return low


def read_manifest(path: Path) -> dict[str, object]:
    """The manifest of the index folder ``path``; a clear error if there is none."""
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexFormatError(f"{path}: not a crossguard index (no {MANIFEST})") from None
    except (OSError, json.JSONDecodeError) as error:
        raise IndexFormatError(f"{path}: unreadable index manifest ({error})") from None
    if not isinstance(manifest, dict):
        raise IndexFormatError(f"{path}: unsupported index manifest format")
    if manifest.get("format") != MANIFEST_FORMAT:
        raise IndexFormatError(
            f"{path}: index format {manifest.get('format')!r}, this crossguard reads format "
            f"{MANIFEST_FORMAT}: build the index again (crossguard index build)")
    return manifest


def write_manifest(path: Path, key: bytes, segments: list[str],
                   countries: Mapping[str, int]) -> None:
    """Atomically replace the manifest (``countries``: customers per country, for detection)."""
    manifest = {"format": MANIFEST_FORMAT, "key_check": key_check_value(key).hex(),
                "segments": segments, "countries": dict(sorted(countries.items()))}
    temporary = path / (MANIFEST + ".tmp")
    write_private(temporary, json.dumps(manifest, indent=2))
    with temporary.open("rb") as handle:
        os.fsync(handle.fileno())
    temporary.replace(path / MANIFEST)


class CustomerIndex:
    """An opened index: memory-mapped segments and vectorized lookups."""

    def __init__(self, path: Path, segments: list[Segment],
                 country_counts: Mapping[str, int] | None = None) -> None:
        self.path = path
        self.segments = segments
        #: Customers per country when the index was built (rows without one: the default).
        self.country_counts = dict(country_counts or {})
        self._buckets = [_Buckets.of(segment.buckets) if len(segment.fps) else None
                         for segment in segments]
        # A customer id tombstoned by segment i hides its rows in segments before i.
        self._removed_before: dict[str, int] = {}
        for position, segment in enumerate(segments):
            for customer_id in segment.tombstones:
                self._removed_before[customer_id] = position

    @classmethod
    def open(cls, path: Path, key: bytes) -> CustomerIndex:
        """Open the index at ``path``; a wrong key is refused with a clear error."""
        manifest = read_manifest(path)
        if manifest.get("key_check") != key_check_value(key).hex():
            raise IndexKeyError(
                f"{path}: the index was built with another key "
                "(check key_file / $CROSSGUARD_KEY)"
            )
        names = manifest.get("segments")
        if not isinstance(names, list):
            raise IndexFormatError(f"{path}: manifest lists no segments")
        segments = [Segment.open(path / str(name)) for name in names]
        counts = manifest.get("countries")
        return cls(path, segments, counts if isinstance(counts, dict) else None)

    @property
    def countries(self) -> tuple[str, ...]:
        """The customers' countries, most customers first (detection reads their formats)."""
        return tuple(sorted(self.country_counts, key=lambda code: (-self.country_counts[code],
                                                                   code)))

    def is_live(self, customer_id: str, position: int) -> bool:
        """Whether a row of ``customer_id`` in segment ``position`` still counts."""
        return self._removed_before.get(customer_id, -1) <= position

    def holds_words(self, token_hashes: U64, kind: IndexKind) -> npt.NDArray[np.bool_]:
        """Which of ``token_hashes`` (:meth:`Keyer.token`) are words of some customer's name
        (``kind`` NAME: its words and initials) or street line (STREET: its words but the
        house number): a message's name pairs and street lines are looked up only when all
        those words are held."""
        values = word_keys(token_hashes, kind)
        held = np.zeros(len(values), dtype=bool)
        for segment in self.segments:
            if len(segment.words):
                at = np.minimum(np.searchsorted(segment.words, values), len(segment.words) - 1)
                held |= segment.words[at] == values
        return held

    def owners(self, fingerprint: int) -> list[str]:
        """The live customers holding exactly ``fingerprint``: one value, found with two
        scalar binary searches a segment (a :meth:`lookup` of one value costs its arrays)."""
        value = np.uint64(fingerprint)
        found: list[str] = []
        for position, segment in enumerate(self.segments):
            fps = segment.fps
            start = int(fps.searchsorted(value))
            if start == len(fps) or fps[start] != value:
                continue
            stop = int(fps.searchsorted(value, side="right"))
            found.extend(customer_id for row in segment.rows[start:stop].tolist()
                         if self.is_live(customer_id := segment.customer_id(row), position))
        return found

    def lookup(self, fingerprints: npt.NDArray[np.uint64], max_owners: int = 1_000_000, *,
               corroborated_by: frozenset[IndexKind] | None = None) -> list[Hit]:
        """Every live (query position, customer) pair among ``fingerprints``, one pass each.

        A fingerprint with more than ``max_owners`` entries in a segment is skipped:
        a value that many customers share identifies none of them. With
        ``corroborated_by`` (the kinds that name a customer on their own), a customer
        is kept only with a hit of such a kind or hits of two kinds: one weak kind
        alone attributes nobody, and the common names and postcodes of a large index
        would otherwise cost a hit each for dozens of customers a message.

        The queries are sorted once: each distinct value is searched once (quoted
        replies repeat text) through the segment's bucket table, and a value's query
        positions are a run of the sorted order.
        """
        if len(fingerprints) == 0:
            return []
        order = np.argsort(fingerprints, kind="stable")
        ordered = fingerprints[order]
        distinct = np.empty(len(ordered), dtype=bool)
        distinct[0] = True
        np.not_equal(ordered[1:], ordered[:-1], out=distinct[1:])
        queries = ordered[distinct]
        matches: list[_Match] = []
        for position, segment in enumerate(self.segments):
            fps = segment.fps
            if not len(fps):
                continue
            buckets = self._buckets[position]
            left = buckets.left(fps, queries) if buckets else np.searchsorted(fps, queries)
            matched = np.flatnonzero(fps[np.minimum(left, len(fps) - 1)] == queries)
            if not len(matched):
                continue
            values = queries[matched]
            stops = np.searchsorted(fps, values, side="right")  # shared values run on
            firsts = np.searchsorted(ordered, values)
            lasts = np.searchsorted(ordered, values, side="right")
            matches.extend(
                _Match(position, IndexKind(value & KIND_MASK), first, last, stop - start,
                       segment.rows[start:stop].tolist())
                for value, start, stop, first, last in zip(
                    values.tolist(), left[matched].tolist(), stops.tolist(), firsts.tolist(),
                    lasts.tolist(), strict=True)
                if stop - start <= max_owners)
        if corroborated_by is not None:
            matches = self._corroborated(matches, corroborated_by)
        hits: list[Hit] = []
        for match in matches:
            segment = self.segments[match.segment]
            owners = [customer_id for row in match.rows
                      if self.is_live(customer_id := segment.customer_id(row), match.segment)]
            hits.extend(Hit(query, customer_id, match.kind, match.owners)
                        for query in order[match.first:match.last].tolist()
                        for customer_id in owners)
        return hits

    def _corroborated(self, matches: list[_Match], alone: frozenset[IndexKind]
                      ) -> list[_Match]:
        """``matches`` with only the rows of customers that hit a kind of ``alone``, or two
        kinds. A customer is a row of a segment; with several segments, its id."""
        one_segment = len(self.segments) == 1
        keyed = [(match, [row if one_segment else self.segments[match.segment].customer_id(row)
                          for row in match.rows]) for match in matches]
        kinds: dict[object, set[IndexKind]] = {}
        for match, customers in keyed:
            for customer in customers:
                kinds.setdefault(customer, set()).add(match.kind)
        kept = {customer for customer, found in kinds.items()
                if len(found) > 1 or not found.isdisjoint(alone)}
        narrowed = []
        for match, customers in keyed:
            rows = [row for row, customer in zip(match.rows, customers, strict=True)
                    if customer in kept]
            if rows:
                narrowed.append(replace(match, rows=rows))
        return narrowed

    def customer_ids(self) -> Iterator[str]:
        """Every live customer id (once each)."""
        seen: set[str] = set()
        for position, segment in enumerate(self.segments):
            for customer_id in segment.customer_ids():
                if customer_id not in seen and self.is_live(customer_id, position):
                    seen.add(customer_id)
                    yield customer_id

    def stats(self) -> dict[str, object]:
        """Counts and sizes, for `index stats` (no identifiers)."""
        kinds = np.zeros(256, dtype=np.int64)
        for segment in self.segments:
            kinds += np.bincount(kind_of(np.asarray(segment.fps)), minlength=256)
        return {
            "path": str(self.path),
            "segments": [segment.path.name for segment in self.segments],
            "fingerprints": int(sum(len(segment.fps) for segment in self.segments)),
            "customers": sum(1 for _ in self.customer_ids()),
            "bytes": sum(segment.path.stat().st_size for segment in self.segments),
            "countries": self.country_counts,
            "by_kind": {IndexKind(code).name: int(count) for code, count in enumerate(kinds)
                        if count and code in IndexKind._value2member_map_},
        }
