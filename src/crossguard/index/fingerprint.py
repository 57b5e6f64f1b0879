"""Keyed fingerprints: ``blake2b(kind ‖ value, key=secret, digest_size=8)`` as uint64.

The lowest four bits of every fingerprint hold its IndexKind, so the index
needs no kind column (60 bits of hash remain: a chance collision per lookup
stays below 1e-10 at 100 million entries).

Exact values get one keyed hash each. Token sequences (names, street lines)
hash every token once and combine the token hashes arithmetically, so a
message costs one keyed hash per distinct token, not one per n-gram; the same
combination runs over numpy arrays for all n-grams of a message at once.
A name pair is fingerprinted whichever way round it is written ("Jane Smith",
"Smith, Jane"): its two token hashes are combined smaller first, so a
message looks each pair of neighbouring words up once.
"""

from __future__ import annotations

from collections.abc import Sequence
from hashlib import blake2b

import numpy as np
import numpy.typing as npt

from crossguard.core.kinds import IndexKind

U64 = npt.NDArray[np.uint64]
#: The multiplier of Keyer.combine (token hashes folded into one n-gram value).
COMBINE_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_MASK = (1 << 64) - 1
KIND_MASK = 0xF
_HASH_MASK = _MASK ^ KIND_MASK
_COMBINE_MULTIPLIER_INT, _MIX1_INT, _MIX2_INT = int(COMBINE_MULTIPLIER), int(_MIX1), int(_MIX2)
KEY_CHECK_LABEL = b"crossguard index key check v1"


def key_check_value(key: bytes) -> bytes:
    """8 bytes that identify the key without revealing it (stored in index headers)."""
    return blake2b(KEY_CHECK_LABEL, key=key, digest_size=8).digest()


def _kind_salt(kind: IndexKind) -> np.uint64:
    return np.uint64((int(kind) * 0xD6E8FEB86659FD93) & 0xFFFFFFFFFFFFFFFF)


def _finalize(values: U64, kind: IndexKind) -> U64:
    """splitmix64's finalizer, salted by kind, with the kind in the low bits."""
    mixed = values ^ _kind_salt(kind)
    mixed = (mixed ^ (mixed >> np.uint64(30))) * _MIX1
    mixed = (mixed ^ (mixed >> np.uint64(27))) * _MIX2
    mixed = mixed ^ (mixed >> np.uint64(31))
    return (mixed & np.uint64(_HASH_MASK)) | np.uint64(int(kind))


def word_key(token_hash: int, kind: IndexKind) -> int:
    """A word of a customer's name or street line as a segment lists it: its token hash
    (:meth:`Keyer.token`) with ``kind`` in the low four bits."""
    return (token_hash & _HASH_MASK) | int(kind)


def word_keys(token_hashes: U64, kind: IndexKind) -> U64:
    """:func:`word_key` of each of ``token_hashes``."""
    return (token_hashes & np.uint64(_HASH_MASK)) | np.uint64(kind)


def kind_of(fingerprints: U64) -> npt.NDArray[np.uint8]:
    """The IndexKind codes packed into ``fingerprints``."""
    return (fingerprints & np.uint64(KIND_MASK)).astype(np.uint8)


_KIND_BYTES = {kind: kind.to_bytes(1, "big") for kind in IndexKind}
_KIND_SALT_INT = {kind: int(_kind_salt(kind)) for kind in IndexKind}


class Keyer:
    """Computes fingerprints with one secret key; caches token hashes.

    Values are hashed as UTF-8 with lone surrogates passed through: a raw byte the
    parser escaped (an 8-bit envelope address from the milter, a header) hashes,
    and matches nothing, instead of failing the check.
    """

    def __init__(self, key: bytes, token_cache_size: int = 200_000) -> None:
        self._keyed = blake2b(key=key, digest_size=8)  # copied per value: no re-keying
        self._tokens: dict[str, int] = {}
        self._cache_size = token_cache_size

    def exact(self, kind: IndexKind, value: str) -> int:
        """Fingerprint of one normalized value of ``kind``."""
        hasher = self._keyed.copy()
        hasher.update(_KIND_BYTES[kind] + value.encode("utf-8", "surrogatepass"))
        return (int.from_bytes(hasher.digest(), "little") & _HASH_MASK) | kind

    def token(self, token: str) -> int:
        """Keyed hash of one folded token (cached)."""
        cached = self._tokens.get(token)
        if cached is None:
            hasher = self._keyed.copy()
            hasher.update(b"\x00" + token.encode("utf-8", "surrogatepass"))
            cached = int.from_bytes(hasher.digest(), "little")
            if len(self._tokens) >= self._cache_size:
                self._tokens.clear()
            self._tokens[token] = cached
        return cached

    def tokens(self, tokens: Sequence[str]) -> U64:
        return np.fromiter((self.token(t) for t in tokens), dtype=np.uint64, count=len(tokens))

    @staticmethod
    def combine(columns: Sequence[U64], kind: IndexKind) -> U64:
        """Fingerprints of token n-grams given as aligned columns of token hashes."""
        accumulator = np.zeros(len(columns[0]), dtype=np.uint64)
        for column in columns:
            accumulator = accumulator * COMBINE_MULTIPLIER + column
        return _finalize(accumulator, kind)

    @staticmethod
    def unordered(first: U64, second: U64, kind: IndexKind) -> U64:
        """Fingerprints of token pairs, the same whichever token of a pair comes first."""
        return Keyer.combine([np.minimum(first, second), np.maximum(first, second)], kind)

    def pair(self, tokens: tuple[str, str], kind: IndexKind) -> int:
        """Fingerprint of one token pair whichever way round (:meth:`unordered`, scalar)."""
        return _sequence(sorted(map(self.token, tokens)), kind)

    def sequence(self, tokens: Sequence[str], kind: IndexKind) -> int:
        """Fingerprint of one whole token sequence in its order (a customer's street line).

        The same arithmetic as :meth:`combine`, on Python ints (faster for one sequence).
        """
        return _sequence([self.token(token) for token in tokens], kind)


def _sequence(hashes: Sequence[int], kind: IndexKind) -> int:
    """:meth:`Keyer.combine` of one row of token hashes, on Python ints."""
    accumulator = 0
    for value in hashes:
        accumulator = (accumulator * _COMBINE_MULTIPLIER_INT + value) & _MASK
    mixed = accumulator ^ _KIND_SALT_INT[kind]
    mixed = ((mixed ^ (mixed >> 30)) * _MIX1_INT) & _MASK
    mixed = ((mixed ^ (mixed >> 27)) * _MIX2_INT) & _MASK
    return ((mixed ^ (mixed >> 31)) & _HASH_MASK) | int(kind)
