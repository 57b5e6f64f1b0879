"""The lookup side of the customer index: the bucketed binary search, and lookup itself."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from crossguard.core.kinds import IndexKind
from crossguard.index.customer_index import _FEW_QUERIES, CustomerIndex, _Buckets
from crossguard.index.segment import BucketTable, Segment, bucket_counts, write_segment

U64 = st.integers(0, 2**64 - 1)


@given(st.lists(U64, min_size=1, max_size=300),
       st.lists(U64, min_size=_FEW_QUERIES, max_size=90, unique=True), st.integers(0, 20))
def test_bucketed_search_is_searchsorted(values: list[int], others: list[int],
                                         repeats: int) -> None:
    """Shared values (long runs), queries below, between and above every entry."""
    fps = np.sort(np.array(values + values[:1] * repeats, dtype=np.uint64))
    queries = np.array(sorted(set(values[::3] + others)), dtype=np.uint64)
    buckets = _Buckets.of(BucketTable.from_counts(bucket_counts(fps), len(fps)))
    assert buckets.left(fps, queries).tolist() == np.searchsorted(fps, queries).tolist()


def test_many_buckets_on_a_large_segment() -> None:
    rng = np.random.default_rng(3)
    fps = np.sort(rng.integers(0, 2**64 - 1, 50_000, dtype=np.uint64, endpoint=True))
    queries = np.unique(np.concatenate([fps[::97], rng.integers(0, 2**64 - 1, 500,
                                                                dtype=np.uint64)]))
    buckets = _Buckets.of(BucketTable.from_counts(bucket_counts(fps), len(fps)))
    assert len(buckets.starts) > 256
    assert len(queries) >= _FEW_QUERIES
    assert buckets.left(fps, queries).tolist() == np.searchsorted(fps, queries).tolist()


# Fingerprints keep their kind in the low four bits: any high bits, kind EMAIL.
FP = st.integers(0, 2**60 - 1).map(lambda high: high << 4 | IndexKind.EMAIL)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(FP, st.integers(0, 4)), min_size=1, max_size=200),
       st.lists(FP, max_size=40), st.data())
def test_lookup_is_every_owner_of_every_query(entries: list[tuple[int, int]],
                                              others: list[int], data: st.DataObject) -> None:
    """Shared values (runs), repeated queries, queries below, between and above every entry."""
    stored = [fp for fp, _ in entries]
    queries = data.draw(st.lists(st.sampled_from(stored + others), max_size=150))
    ids = [f"C{row}" for row in range(5)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.seg"
        write_segment(path, b"k" * 8, np.array(stored, dtype=np.uint64),
                      np.array([row for _, row in entries], dtype=np.uint32), ids)
        index = CustomerIndex(Path(folder), [Segment.open(path)])
        hits = index.lookup(np.array(queries, dtype=np.uint64))
        one_by_one = {query: sorted(index.owners(query)) for query in [*queries, *others]}
    owners = Counter(stored)
    expected = sorted((position, f"C{row}", owners[fp])
                      for position, query in enumerate(queries)
                      for fp, row in entries if fp == query)
    assert sorted((hit.query, hit.customer_id, hit.owners) for hit in hits) == expected
    assert {hit.kind for hit in hits} <= {IndexKind.EMAIL}
    assert one_by_one == {query: sorted(f"C{row}" for fp, row in entries if fp == query)
                          for query in one_by_one}


def test_lookup_of_many_queries_goes_through_the_buckets(tmp_path: Path) -> None:
    """Enough distinct queries for the bucketed search, with runs of shared values."""
    rng = np.random.default_rng(5)
    values = (rng.integers(0, 2**59, 3_000, dtype=np.uint64) << np.uint64(4)) | np.uint64(
        IndexKind.EMAIL)
    stored = np.concatenate([values, values[:300]])  # 300 values shared by two rows
    rows = rng.integers(0, 5, len(stored)).astype(np.uint32)
    write_segment(tmp_path / "s.seg", b"k" * 8, stored, rows, [f"C{row}" for row in range(5)])
    index = CustomerIndex(tmp_path, [Segment.open(tmp_path / "s.seg")])
    queries = np.concatenate([values[::7], values[:50], rng.integers(0, 2**63, 200,
                                                                     dtype=np.uint64)])
    assert len(np.unique(queries)) > _FEW_QUERIES
    owners: dict[int, list[int]] = {}
    for fp, row in zip(stored.tolist(), rows.tolist(), strict=True):
        owners.setdefault(fp, []).append(row)
    expected = sorted((position, f"C{row}", len(owners[query]))
                      for position, query in enumerate(queries.tolist())
                      for row in owners.get(query, []))
    hits = index.lookup(queries)
    assert sorted((hit.query, hit.customer_id, hit.owners) for hit in hits) == expected


def _fp(high: int, kind: IndexKind) -> int:
    return high << 4 | int(kind)


def test_corroborated_keeps_a_primary_hit_or_two_kinds_and_drops_one_weak_kind(
        tmp_path: Path) -> None:
    """C0: an email; C1: a name and a postcode; C2: a name only; C3: two names, one kind."""
    entries = [(_fp(1, IndexKind.EMAIL), 0), (_fp(2, IndexKind.NAME), 1),
               (_fp(3, IndexKind.POSTCODE), 1), (_fp(2, IndexKind.NAME), 2),
               (_fp(4, IndexKind.NAME), 3), (_fp(5, IndexKind.NAME), 3)]
    entries.sort()
    write_segment(tmp_path / "s.seg", b"k" * 8, np.array([fp for fp, _ in entries], np.uint64),
                  np.array([row for _, row in entries], np.uint32), ["C0", "C1", "C2", "C3"])
    index = CustomerIndex(tmp_path, [Segment.open(tmp_path / "s.seg")])
    queries = np.array(sorted({fp for fp, _ in entries}), dtype=np.uint64)
    everyone = {hit.customer_id for hit in index.lookup(queries)}
    kept = index.lookup(queries, corroborated_by=frozenset({IndexKind.EMAIL}))
    assert everyone == {"C0", "C1", "C2", "C3"}
    assert {hit.customer_id for hit in kept} == {"C0", "C1"}
    # C1's name pair is shared with C2: the hit still says two customers own it.
    assert {(hit.customer_id, hit.kind, hit.owners) for hit in kept} == {
        ("C0", IndexKind.EMAIL, 1), ("C1", IndexKind.NAME, 2), ("C1", IndexKind.POSTCODE, 1)}


def test_corroborated_counts_a_customer_across_segments_by_id(tmp_path: Path) -> None:
    """A customer's name in the base segment and postcode in a delta (another row number
    there) are two kinds of one customer; a stranger on the delta's row 0 is not."""
    name, postcode = _fp(2, IndexKind.NAME), _fp(3, IndexKind.POSTCODE)
    write_segment(tmp_path / "base.seg", b"k" * 8, np.array([name], np.uint64),
                  np.array([1], np.uint32), ["C9", "C1"])
    write_segment(tmp_path / "delta.seg", b"k" * 8, np.array([postcode], np.uint64),
                  np.array([0], np.uint32), ["C1"])
    index = CustomerIndex(tmp_path, [Segment.open(tmp_path / "base.seg"),
                                     Segment.open(tmp_path / "delta.seg")])
    hits = index.lookup(np.array([name, postcode], dtype=np.uint64),
                        corroborated_by=frozenset({IndexKind.EMAIL}))
    assert sorted((hit.query, hit.customer_id, hit.kind) for hit in hits) == [
        (0, "C1", IndexKind.NAME), (1, "C1", IndexKind.POSTCODE)]
