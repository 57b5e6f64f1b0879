"""One immutable index segment file: sorted fingerprints with parallel arrays, memory-mapped.

Layout (little-endian, every array 8-byte aligned)::

    header   64 bytes: magic, format version, key check value, counts
    fps      uint64[n]   sorted fingerprints
    rows     uint32[n]   customer row (index into the id table) of each fingerprint
    id_off   uint64[c+1] offsets into id_blob
    id_blob  bytes       customer ids, UTF-8, concatenated
    tomb_off uint64[t+1] offsets into tomb_blob
    tomb_blob bytes      customer ids this segment removes from older segments

A fingerprint owned by k customers appears k times, so commonness is the
length of its run and needs no separate column; a fingerprint's kind is in
its low bits (see fingerprint.py), so neither needs a column.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from crossguard.core.private import open_private
from crossguard.errors import IndexFormatError

MAGIC = b"CGSEG\x00\x00\x01"
FORMAT_VERSION = 2
SORT_BITS = 4
_HEADER = struct.Struct("<8sI4x8sQQQ16x")  # magic, version, key check, n, customers, tombstones


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


def write_segment(
    path: Path,
    key_check: bytes,
    fingerprints: npt.NDArray[np.uint64],
    rows: npt.NDArray[np.uint32],
    customer_ids: Sequence[str],
    tombstones: Sequence[str] = (),
) -> None:
    """Sort and write a segment atomically (temporary file, fsync, rename).

    The arrays are sorted and written a piece at a time, straight from their
    buffers: a 100M-customer build already holds gigabytes.
    """
    n = len(fingerprints)
    tomb_off, tomb_blob = _string_table(sorted(set(tombstones)))
    header = _HEADER.pack(
        MAGIC, FORMAT_VERSION, key_check, n, len(customer_ids), len(tomb_off) - 1
    )
    temporary = path.with_suffix(".tmp")
    with open_private(temporary, "wb") as handle:

        def put(array: npt.NDArray[np.generic] | bytes) -> int:
            data = array if isinstance(array, bytes) else array.view(np.uint8).data
            handle.write(data)
            return len(data)

        def pad(size: int) -> None:
            handle.write(b"\x00" * (_align(size) - size))

        handle.write(header)
        fps_at, rows_at = _HEADER.size, _HEADER.size + _align(8 * n)
        for fps_piece, rows_piece in _sorted_pieces(fingerprints, rows):
            handle.seek(fps_at)
            fps_at += put(fps_piece)
            handle.seek(rows_at)
            rows_at += put(rows_piece)
        handle.seek(rows_at)
        pad(4 * n)
        id_off, id_blob = _string_table(customer_ids)
        for array in (id_off, id_blob, tomb_off, tomb_blob):
            pad(put(array))
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(path)


@dataclass(slots=True)
class Segment:
    """A memory-mapped segment."""

    path: Path
    key_check: bytes
    fps: npt.NDArray[np.uint64]
    rows: npt.NDArray[np.uint32]
    id_off: npt.NDArray[np.uint64]
    id_blob: npt.NDArray[np.uint8]
    tombstones: frozenset[str]

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
        magic, version, key_check, n, customers, tombs = _HEADER.unpack(bytes(raw[: _HEADER.size]))
        if magic != MAGIC:
            raise IndexFormatError(f"{path}: not a crossguard index segment")
        if version != FORMAT_VERSION:
            raise IndexFormatError(f"{path}: index format {version}, expected {FORMAT_VERSION}")
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
        id_off = take(np.uint64, customers + 1)
        id_blob = take(np.uint8, int(id_off[-1]))
        tomb_off = take(np.uint64, tombs + 1)
        tomb_blob = bytes(take(np.uint8, int(tomb_off[-1])))
        tombstones = frozenset(
            tomb_blob[int(tomb_off[i]) : int(tomb_off[i + 1])].decode("utf-8")
            for i in range(tombs)
        )
        return cls(path, key_check, fps, rows, id_off, id_blob, tombstones)  # type: ignore[arg-type]

    @property
    def customer_count(self) -> int:
        return len(self.id_off) - 1

    def customer_id(self, row: int) -> str:
        return bytes(self.id_blob[int(self.id_off[row]) : int(self.id_off[row + 1])]).decode()

    def customer_ids(self) -> list[str]:
        return [self.customer_id(row) for row in range(self.customer_count)]
