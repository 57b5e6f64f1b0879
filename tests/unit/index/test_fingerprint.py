"""Keyed fingerprints: deterministic, key-dependent, kind-separated, vector == scalar."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from crossguard.core.kinds import IndexKind
from crossguard.index.fingerprint import Keyer, key_check_value

TOKENS = st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=6)


@given(TOKENS, st.sampled_from([IndexKind.NAME, IndexKind.STREET]))
def test_vectorized_combination_equals_scalar_sequence(tokens: list[str], kind: IndexKind) -> None:
    keyer = Keyer(b"k" * 32)
    hashes = keyer.tokens(tokens)
    columns = [hashes[i : i + 1] for i in range(len(tokens))]
    assert int(Keyer.combine(columns, kind)[0]) == keyer.sequence(tokens, kind)


@given(st.text(max_size=40))
def test_fingerprints_are_deterministic_and_keyed(value: str) -> None:
    one, again, other = Keyer(b"a" * 32), Keyer(b"a" * 32), Keyer(b"b" * 32)
    assert one.exact(IndexKind.EMAIL, value) == again.exact(IndexKind.EMAIL, value)
    assert one.exact(IndexKind.EMAIL, value) != other.exact(IndexKind.EMAIL, value)
    assert one.exact(IndexKind.EMAIL, value) != one.exact(IndexKind.PHONE, value)


def test_key_check_value_identifies_the_key_only() -> None:
    assert key_check_value(b"a" * 32) == key_check_value(b"a" * 32)
    assert key_check_value(b"a" * 32) != key_check_value(b"b" * 32)
    assert b"a" * 8 not in key_check_value(b"a" * 32)


def test_token_cache_is_bounded() -> None:
    keyer = Keyer(b"k" * 32, token_cache_size=10)
    values = [keyer.token(f"t{i}") for i in range(25)]
    assert len(keyer._tokens) <= 10
    assert values == [Keyer(b"k" * 32).token(f"t{i}") for i in range(25)]
    assert np.unique(values).size == 25


@given(st.text(min_size=1, max_size=12), st.text(min_size=1, max_size=12))
def test_a_pair_is_the_same_either_way_round_and_vector_equals_scalar(one: str, two: str
                                                                       ) -> None:
    keyer = Keyer(b"k" * 32)
    pair = keyer.pair((one, two), IndexKind.NAME)
    assert pair == keyer.pair((two, one), IndexKind.NAME)
    first, second = keyer.tokens([one]), keyer.tokens([two])
    assert int(Keyer.unordered(first, second, IndexKind.NAME)[0]) == pair
    assert int(Keyer.unordered(second, first, IndexKind.NAME)[0]) == pair
    assert pair != keyer.pair((one, two), IndexKind.STREET)

