"""The lookup side of the customer index: the bucketed binary search."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from crossguard.index.customer_index import _FEW_QUERIES, _Buckets
from crossguard.index.segment import BucketTable, bucket_counts

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
