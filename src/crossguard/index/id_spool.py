"""A build's customer ids, spooled to disk: one customer per id, found without a dict.

Each row's customer id is appended (UTF-8) to a file in a private folder, with
its length and an 8-byte keyed hash of it. At the end the hashes are sorted
(numpy, 8 bytes per row): rows whose hash appeared on an earlier row are that
row's customer, once their ids are compared byte for byte (a chance hash
collision keeps two customers apart). Customers are numbered in order of first
appearance, as a dict would number them; the id table is then streamed from
the file. The folder holds what the segment's own id table holds, and is
removed on exit.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from hashlib import blake2b
from pathlib import Path
from types import TracebackType

import numpy as np
import numpy.typing as npt

from crossguard.core.private import open_private, private_dir

_LABEL = b"crossguard customer id v1\x00"
#: Rows of ids copied into the segment per read.
COPY_ROWS = 1 << 20
MAX_ROWS = 1 << 32  # rows are numbered in uint32


def id_hashes(ids: Sequence[bytes], key: bytes) -> npt.NDArray[np.uint64]:
    """Keyed 8-byte hashes of UTF-8 customer ids (only compared with each other)."""
    keyed = blake2b(_LABEL, key=key, digest_size=8)

    def one(value: bytes) -> int:
        hasher = keyed.copy()
        hasher.update(value)
        return int.from_bytes(hasher.digest(), "little")

    return np.fromiter(map(one, ids), np.uint64, len(ids))


@dataclass(slots=True)
class Customers:
    """Rows resolved to customers: ``remap[row]`` is a row's customer, ``first`` marks each
    customer's first row (both None when no id repeats: row and customer are one)."""

    count: int
    duplicates: int
    remap: npt.NDArray[np.uint32] | None = None
    first: npt.NDArray[np.bool_] | None = None


class IdSpool:
    """Customer ids of a build's rows, in row order, in files under ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = private_dir(folder)
        self._blob = open_private(folder / "ids", "wb")
        self._lengths = open_private(folder / "lengths", "wb")
        self._hashes = open_private(folder / "hashes", "wb")
        self.rows = 0

    def __enter__(self) -> IdSpool:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        for handle in (self._blob, self._lengths, self._hashes):
            handle.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def add(self, blob: bytes, lengths: npt.NDArray[np.uint32],
            hashes: npt.NDArray[np.uint64]) -> int:
        """Append rows' ids (concatenated, their lengths and hashes); the first one's row."""
        first = self.rows
        if first + len(lengths) > MAX_ROWS:
            raise ValueError(f"more than {MAX_ROWS:,} customer rows in one build")
        self._blob.write(blob)
        self._lengths.write(lengths.data)
        self._hashes.write(hashes.data)
        self.rows += len(lengths)
        return first

    def _read_lengths(self) -> npt.NDArray[np.uint32]:
        self._lengths.flush()
        return np.fromfile(self.folder / "lengths", np.uint32)

    def resolve(self) -> Customers:
        """Which rows are one customer (same id): numbered in order of first appearance."""
        for handle in (self._blob, self._lengths, self._hashes):
            handle.flush()
        hashes = np.fromfile(self.folder / "hashes", np.uint64)
        rows = len(hashes)
        order = np.argsort(hashes, kind="stable")
        ordered = hashes[order]
        del hashes
        starts = np.ones(rows, dtype=bool)
        np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
        del ordered
        if starts.all():
            return Customers(rows, 0)
        # rep[row]: the first row with the same hash (the sort is stable: first in its run)
        rep = np.empty(rows, dtype=np.int64)
        rep[order] = order[starts][np.cumsum(starts) - 1]
        del order, starts
        self._verify(rep)
        first = rep == np.arange(rows)
        position = np.cumsum(first, dtype=np.int64) - 1
        remap = position[rep].astype(np.uint32)
        count = int(position[-1]) + 1
        return Customers(count, rows - count, remap, first)

    def _verify(self, rep: npt.NDArray[np.int64]) -> None:
        """Compare the ids of rows said to repeat one; split a chance collision by value."""
        offsets = np.zeros(len(rep) + 1, dtype=np.uint64)
        np.cumsum(self._read_lengths(), out=offsets[1:])
        blob = np.memmap(self.folder / "ids", dtype=np.uint8, mode="r") if offsets[-1] else (
            np.zeros(0, np.uint8))

        def value(row: int) -> bytes:
            return bytes(blob[int(offsets[row]) : int(offsets[row + 1])])

        repeats = np.flatnonzero(rep != np.arange(len(rep)))
        collided = {int(rep[row]) for row in repeats.tolist()
                    if value(row) != value(int(rep[row]))}
        for shared in sorted(collided):
            firsts: dict[bytes, int] = {}
            for row in np.flatnonzero(rep == shared).tolist():
                rep[row] = firsts.setdefault(value(row), row)

    def table(self, customers: Customers) -> tuple[npt.NDArray[np.uint64], Iterator[bytes]]:
        """The id table: offsets (customer order) and the ids' bytes, streamed in pieces."""
        lengths = self._read_lengths()
        first = customers.first
        offsets = np.zeros(customers.count + 1, dtype=np.uint64)
        np.cumsum(lengths if first is None else lengths[first], out=offsets[1:])

        def pieces() -> Iterator[bytes]:
            with open(self.folder / "ids", "rb") as blob:
                for start in range(0, len(lengths), COPY_ROWS):
                    sizes = lengths[start : start + COPY_ROWS]
                    data = blob.read(int(sizes.sum(dtype=np.uint64)))
                    keep = None if first is None else first[start : start + COPY_ROWS]
                    if keep is None or keep.all():
                        yield data
                    else:
                        mask = np.repeat(keep, sizes)
                        yield np.frombuffer(data, np.uint8)[mask].tobytes()

        return offsets, pieces()

    def ids(self, customers: Customers) -> list[str]:
        """The customers' ids as strings (for a delta's tombstones: small)."""
        offsets, pieces = self.table(customers)
        blob = b"".join(pieces)
        return [blob[int(offsets[i]) : int(offsets[i + 1])].decode("utf-8")
                for i in range(customers.count)]
