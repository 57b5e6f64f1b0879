"""The lookup side of the customer index: sorted queries against sorted fingerprints."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from crossguard.core.kinds import IndexKind
from crossguard.index.customer_index import CustomerIndex
from crossguard.index.segment import Segment, write_segment

# Fingerprints keep their kind in the low four bits: any high bits, kind EMAIL.
FP = st.integers(0, 2**60 - 1).map(lambda high: high << 4 | IndexKind.EMAIL)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(FP, st.integers(0, 4)), min_size=1, max_size=200),
       st.lists(FP, max_size=40), st.data())
def test_lookup_is_every_owner_of_every_query(entries: list[tuple[int, int]],
                                              others: list[int], data: st.DataObject) -> None:
    """Shared values (runs), repeated queries, queries below, between and above every entry."""
    stored = [fp for fp, _ in entries]
    queries = data.draw(st.lists(st.sampled_from(stored + others), max_size=60))
    ids = [f"C{row}" for row in range(5)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.seg"
        write_segment(path, b"k" * 8, np.array(stored, dtype=np.uint64),
                      np.array([row for _, row in entries], dtype=np.uint32), ids)
        index = CustomerIndex(Path(folder), [Segment.open(path)])
        hits = index.lookup(np.array(queries, dtype=np.uint64))
    owners = Counter(stored)
    expected = sorted((position, f"C{row}", owners[fp])
                      for position, query in enumerate(queries)
                      for fp, row in entries if fp == query)
    assert sorted((hit.query, hit.customer_id, hit.owners) for hit in hits) == expected
    assert {hit.kind for hit in hits} <= {IndexKind.EMAIL}
