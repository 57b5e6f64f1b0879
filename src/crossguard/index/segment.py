"""One immutable index segment file: sorted fingerprints with parallel arrays, memory-mapped.

Layout (little-endian, every array 8-byte aligned)::

    header   64 bytes: magic, format version, key check value, counts, bucket bits and steps
    fps      uint64[n]   sorted fingerprints
    rows     uint32[n]   customer row (index into the id table) of each fingerprint
    starts   int64[b+1]  where each bucket of fingerprints (same top ``bits``) starts
    id_off   uint64[c+1] offsets into id_blob
    id_blob  bytes       customer ids, UTF-8, concatenated
    tomb_off uint64[t+1] offsets into tomb_blob
    tomb_blob bytes      customer ids this segment removes from older segments
    words    uint64[w]   its customers' name words and street words (not house numbers):
                         sorted keyed token hashes, each with its kind in the low four bits

A fingerprint owned by k customers appears k times, so commonness is the
length of its run and needs no separate column; a fingerprint's kind is in
its low bits (see fingerprint.py), so neither needs a column. The bucket
table is written with the segment (format 3), so opening one maps it and
computes nothing, whatever its size. The words (format 4) let a message look
up only the name pairs and street lines whose words are all some customer's.
"""

from __future__ import annotations

import os
import shutil
import struct
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import numpy as np
import numpy.typing as npt

from crossguard.core.private import open_private
from crossguard.errors import IndexFormatError

MAGIC = b"CGSEG\x00\x00\x01"
FORMAT_VERSION = 4
SORT_BITS = 4
#: Buckets hold about 2**7 fingerprints each, at most 2**17 buckets.
BUCKET_FILL_BITS = 7
MAX_BUCKET_BITS = 17
# magic, version, key check, n, customers, tombstones, bucket bits, bucket steps, words
_HEADER = struct.Struct("<8sI4x8sQQQIIQ")
_COPY = 1 << 24
_NO_WORDS: npt.NDArray[np.uint64] = np.zeros(0, dtype=np.uint64)


def _align(offset: int) -> int:
    return (offset + 7) & ~7


def _string_table(values: Sequence[str]) -> tuple[npt.NDArray[np.uint64], bytes]:
    blob = "".join(values).encode("utf-8")
    lengths = (np.fromiter(map(len, values), np.uint64, len(values))
               if len(blob) == sum(map(len, values))  # all ASCII: characters are bytes
               else np.fromiter((len(value.encode("utf-8")) for value in values), np.uint64,
                                len(values)))
    offsets = np.zeros(len(values) + 1, dtype=np.uint64)
    np.cumsum(lengths, out=offsets[1:])
    return offsets, blob


def bucket_counts(fps: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
    """Fingerprints per value of their top MAX_BUCKET_BITS bits (summed into coarser buckets)."""
    top = (fps >> np.uint64(64 - MAX_BUCKET_BITS)).astype(np.intp)
    return np.bincount(top, minlength=1 << MAX_BUCKET_BITS).astype(np.int64)


@dataclass(frozen=True, slots=True)
class BucketTable:
    """Where each bucket of a segment's sorted fingerprints (same top ``bits``) starts.

    ``steps`` halvings of the largest bucket find any position in it.
    """

    bits: int
    starts: npt.NDArray[np.int64]
    steps: int

    @classmethod
    def from_counts(cls, counts: npt.NDArray[np.int64], n: int) -> BucketTable:
        """About 2**7 fingerprints per bucket, at most 2**17 buckets (from bucket_counts).

        The cap keeps the table small on far larger segments, whose buckets then
        hold more (at 1,000 million, ~7,600: 13-14 steps instead of 30).
        """
        bits = min(max(n.bit_length() - BUCKET_FILL_BITS, 1), MAX_BUCKET_BITS)
        starts = np.zeros((1 << bits) + 1, dtype=np.int64)
        np.cumsum(counts.reshape(1 << bits, -1).sum(axis=1), out=starts[1:])
        return cls(bits, starts, int(np.diff(starts).max()).bit_length())


def _sorted_pieces(
    fingerprints: npt.NDArray[np.uint64], rows: npt.NDArray[np.uint32]
) -> Iterator[tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint32]]]:
    """Both arrays in fingerprint order (stable), a sixteenth at a time.

    Fingerprints are uniform in their top bits, so each range of the top four
    bits, sorted alone, costs a sixteenth of a whole argsort's memory.
    """
    top = (fingerprints >> np.uint64(64 - SORT_BITS)).astype(np.uint8)
    for bucket in range(1 << SORT_BITS):
        at = np.flatnonzero(top == bucket)
        piece = fingerprints[at]
        order = np.argsort(piece, kind="stable")
        yield piece[order], rows[at[order]]


class SegmentWriter:
    """Writes a segment from sorted pieces, without holding them: fsync and rename at the end.

    Fingerprints go straight to the segment's temporary file and their rows to a
    second one beside it (the count is known only at the end), copied in after.
    Both temporary files are removed whatever happens.
    """

    def __init__(self, path: Path, key_check: bytes) -> None:
        self.path = path
        self._key_check = key_check
        self._temporary = path.with_suffix(".tmp")
        self._rows_file = path.with_suffix(".rows.tmp")
        self._handle = open_private(self._temporary, "wb")
        self._rows = open_private(self._rows_file, "wb")
        self._handle.seek(_HEADER.size)
        self.count = 0
        self._last = -1
        self._counts = np.zeros(1 << MAX_BUCKET_BITS, dtype=np.int64)

    def __enter__(self) -> SegmentWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._handle.close()
        self._rows.close()
        self._temporary.unlink(missing_ok=True)
        self._rows_file.unlink(missing_ok=True)

    def add(self, fps: npt.NDArray[np.uint64], rows: npt.NDArray[np.uint32]) -> None:
        """The next piece of (fingerprint, row) pairs, in fingerprint order after the last."""
        if not len(fps):
            return
        if int(fps[0]) < self._last:
            raise ValueError("segment pieces out of order")
        self._handle.write(np.ascontiguousarray(fps, dtype=np.uint64).data)
        self._rows.write(np.ascontiguousarray(rows, dtype=np.uint32).data)
        self._counts += bucket_counts(fps)
        self.count += len(fps)
        self._last = int(fps[-1])

    def finish(self, id_off: npt.NDArray[np.uint64], id_blob: Iterable[bytes],
               tombstones: Sequence[str] = (),
               words: npt.NDArray[np.uint64] = _NO_WORDS) -> None:
        """Write the rows, bucket table, id table (offsets and their blob in pieces),
        tombstones, words (sorted, distinct) and header."""
        handle = self._handle

        def put(data: npt.NDArray[np.generic] | bytes) -> int:
            view = data if isinstance(data, bytes) else np.ascontiguousarray(data).view(np.uint8)
            handle.write(view if isinstance(view, bytes) else view.data)
            return len(view)

        def pad(size: int) -> None:
            handle.write(b"\x00" * (_align(size) - size))

        self._rows.close()
        with open(self._rows_file, "rb") as rows:
            shutil.copyfileobj(rows, handle, _COPY)
        self._rows_file.unlink()
        pad(4 * self.count)
        table = BucketTable.from_counts(self._counts, self.count)
        pad(put(table.starts))
        pad(put(id_off))
        pad(sum(put(piece) for piece in id_blob))
        tomb_off, tomb_blob = _string_table(sorted(set(tombstones)))
        for array in (tomb_off, tomb_blob, np.ascontiguousarray(words, dtype=np.uint64)):
            pad(put(array))
        handle.seek(0)
        handle.write(_HEADER.pack(MAGIC, FORMAT_VERSION, self._key_check, self.count,
                                  len(id_off) - 1, len(tomb_off) - 1, table.bits, table.steps,
                                  len(words)))
        handle.flush()
        os.fsync(handle.fileno())
        handle.close()
        self._temporary.replace(self.path)


def write_segment(
    path: Path,
    key_check: bytes,
    fingerprints: npt.NDArray[np.uint64],
    rows: npt.NDArray[np.uint32],
    customer_ids: Sequence[str],
    tombstones: Sequence[str] = (),
    words: npt.NDArray[np.uint64] = _NO_WORDS,
) -> None:
    """Sort in-memory arrays and write them as a segment atomically (a delta, a compaction)."""
    id_off, id_blob = _string_table(customer_ids)
    with SegmentWriter(path, key_check) as writer:
        for fps_piece, rows_piece in _sorted_pieces(fingerprints, rows):
            writer.add(fps_piece, rows_piece)
        writer.finish(id_off, [id_blob], tombstones, np.unique(words))


@dataclass(slots=True)
class Segment:
    """A memory-mapped segment."""

    path: Path
    key_check: bytes
    fps: npt.NDArray[np.uint64]
    rows: npt.NDArray[np.uint32]
    buckets: BucketTable
    id_off: npt.NDArray[np.uint64]
    id_blob: npt.NDArray[np.uint8]
    tombstones: frozenset[str]
    #: The customers' name and street-line words (fingerprint.word_key), sorted.
    words: npt.NDArray[np.uint64]

    @classmethod
    def open(cls, path: Path) -> Segment:
        """Map a segment file read-only; a clear error if it is not one."""
        try:
            # A plain ndarray over the mapping: memmap's Python-level __getitem__ is slow.
            raw = np.memmap(path, dtype=np.uint8, mode="r").view(np.ndarray)
        except (OSError, ValueError) as error:
            raise IndexFormatError(f"{path}: cannot open index segment ({error})") from None
        if len(raw) < _HEADER.size:
            raise IndexFormatError(f"{path}: truncated index segment")
        magic, version, key_check, n, customers, tombs, bits, steps, count = _HEADER.unpack(
            bytes(raw[: _HEADER.size]))
        if magic != MAGIC:
            raise IndexFormatError(f"{path}: not a crossguard index segment")
        if version != FORMAT_VERSION:
            raise IndexFormatError(
                f"{path}: index format {version}, this crossguard reads format "
                f"{FORMAT_VERSION}; rebuild the index with `crossguard index build`")
        if not 1 <= bits <= MAX_BUCKET_BITS:
            raise IndexFormatError(f"{path}: corrupt index segment header")
        offset = _HEADER.size

        def take(dtype: type[np.generic], count: int) -> npt.NDArray[np.generic]:
            nonlocal offset
            size = np.dtype(dtype).itemsize * count
            if offset + size > len(raw):
                raise IndexFormatError(f"{path}: truncated index segment")
            array = raw[offset : offset + size].view(dtype)
            offset = _align(offset + size)
            return array

        fps = take(np.uint64, n)
        rows = take(np.uint32, n)
        starts = take(np.int64, (1 << bits) + 1)
        id_off = take(np.uint64, customers + 1)
        id_blob = take(np.uint8, int(id_off[-1]))
        tomb_off = take(np.uint64, tombs + 1)
        tomb_blob = bytes(take(np.uint8, int(tomb_off[-1])))
        words = take(np.uint64, count)
        if offset != _align(len(raw)):
            raise IndexFormatError(f"{path}: index segment of an unknown layout (size "
                                   "does not match its header); rebuild the index with "
                                   "`crossguard index build`")
        tombstones = frozenset(
            tomb_blob[int(tomb_off[i]) : int(tomb_off[i + 1])].decode("utf-8")
            for i in range(tombs)
        )
        return cls(path, key_check, fps, rows,  # type: ignore[arg-type]
                   BucketTable(bits, starts, steps), id_off, id_blob,  # type: ignore[arg-type]
                   tombstones, words)  # type: ignore[arg-type]

    @property
    def customer_count(self) -> int:
        return len(self.id_off) - 1

    def customer_id(self, row: int) -> str:
        return bytes(self.id_blob[int(self.id_off[row]) : int(self.id_off[row + 1])]).decode()

    def customer_ids(self) -> list[str]:
        return [self.customer_id(row) for row in range(self.customer_count)]
