"""Writing indexes: build, add, remove, compact.

Rows are fingerprinted in parallel chunks (processes) when the table is large;
the result is one sorted, memory-mapped segment. A table that hands out its
own batches (:class:`BatchedRows`, e.g. a CSV table's raw records) has them
read in the workers, so the reading process does not parse, pickle and send
every row.
"""

from __future__ import annotations

import itertools
import shutil
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from crossguard.core.private import private_dir
from crossguard.errors import IndexFormatError
from crossguard.index.customer_fingerprints import customer_fingerprints, row_country
from crossguard.index.customer_index import CustomerIndex, read_manifest, write_manifest
from crossguard.index.customer_input import Row, RowProblem
from crossguard.index.fingerprint import Keyer, key_check_value
from crossguard.index.segment import write_segment

CHUNK_ROWS = 20_000
#: Fingerprints per slab the chunks are gathered into as they come: slabs are large
#: enough to be memory-mapped by malloc, so the final merge gives each one back to the
#: system as it is copied (many small chunks would stay in the process's heap).
SLAB = 1 << 23
Progress = Callable[[int], None]


@runtime_checkable
class BatchedRows(Protocol):
    """Rows that also come as picklable batches, each an iterable of rows read where used."""

    def __iter__(self) -> Iterator[tuple[int, Row]]: ...

    def batches(self, size: int) -> Iterator[Iterable[tuple[int, Row]]]: ...


@dataclass(slots=True)
class FieldCount:
    """Values of one column: read, indexed, and dropped by reason."""

    read: int = 0
    indexed: int = 0
    dropped: Counter[str] = field(default_factory=Counter)


@dataclass(slots=True)
class BuildReport:
    """What a build read: rows, distinct customers, counts per field, problems by line.

    A customer id on several rows is one customer (its rows' values merged);
    ``duplicates`` counts the extra rows. ``written`` is False when a strict
    build found problems and left the index as it was.
    """

    rows: int = 0
    customers: int = 0
    duplicates: int = 0
    fingerprints: int = 0
    fields: dict[str, FieldCount] = field(default_factory=dict)
    countries: Counter[str] = field(default_factory=Counter)
    problems: list[RowProblem] = field(default_factory=list)
    written: bool = True

    @property
    def skipped_rows(self) -> int:
        return sum(1 for problem in self.problems if problem.field is None)

    @property
    def dropped_values(self) -> int:
        return sum(1 for problem in self.problems if problem.field is not None)

    def add(self, chunk: _Chunk) -> None:
        """Count one fingerprinted chunk in."""
        self.rows += chunk.read
        self.problems.extend(chunk.problems)
        self.countries.update(chunk.countries)
        for name, counts in chunk.fields.items():
            total = self.fields.setdefault(name, FieldCount())
            total.read += counts.read
            total.indexed += counts.indexed
            total.dropped.update(counts.dropped)


@dataclass(slots=True)
class _Chunk:
    ids: list[str]
    fps: np.ndarray
    rows: np.ndarray
    problems: list[RowProblem]
    read: int = 0
    fields: dict[str, FieldCount] = field(default_factory=dict)
    countries: Counter[str] = field(default_factory=Counter)


def _fingerprint_chunk(rows: Iterable[tuple[int, Row]], key: bytes, country: str) -> _Chunk:
    keyer = Keyer(key)
    chunk = _Chunk([], np.zeros(0, np.uint64), np.zeros(0, np.uint32), [])
    fps: list[int] = []
    owners: list[int] = []
    for number, row in rows:
        chunk.read += 1
        if "__problem__" in row:
            chunk.problems.append(RowProblem(number, row["__problem__"][0]))
            continue
        customer_id = (row.get("customer_id") or [""])[0]
        if not customer_id:
            chunk.problems.append(RowProblem(number, "no customer_id"))
            continue
        found, outcomes = customer_fingerprints(row, keyer, country)
        for column, reason in outcomes:
            counts = chunk.fields.setdefault(column, FieldCount())
            counts.read += 1
            if reason is None:
                counts.indexed += 1
            else:
                counts.dropped[reason] += 1
                chunk.problems.append(RowProblem(number, reason, column))
        chunk.countries[row_country(row, country)] += 1
        chunk.ids.append(customer_id)
        fps.extend(fp for fp, _ in found)
        owners.extend([len(chunk.ids) - 1] * len(found))
    chunk.fps, chunk.rows = np.array(fps, dtype=np.uint64), np.array(owners, dtype=np.uint32)
    return chunk


def _chunks(rows: Iterable[tuple[int, Row]]) -> Iterator[Iterable[tuple[int, Row]]]:
    """Chunks of rows for the workers: the table's own batches if it has them, else lists."""
    if isinstance(rows, BatchedRows):
        yield from rows.batches(CHUNK_ROWS)
        return
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, CHUNK_ROWS)):
        yield chunk


def _merge(parts: list[_Chunk], problems: list[RowProblem]) -> _Chunk:
    """The parts as one chunk, each part's arrays dropped once copied (not twice the memory)."""
    merged = _Chunk([], np.empty(sum(len(part.fps) for part in parts), np.uint64),
                    np.empty(sum(len(part.rows) for part in parts), np.uint32), problems)
    at = 0
    for part in parts:
        end = at + len(part.fps)
        merged.fps[at:end], merged.rows[at:end] = part.fps, part.rows
        part.fps, part.rows = merged.fps[:0], merged.rows[:0]
        at = end
    return merged


def _fingerprint_all(
    rows: Iterable[tuple[int, Row]], key: bytes, country: str, workers: int,
    progress: Progress | None,
) -> tuple[_Chunk, BuildReport]:
    report = BuildReport()
    slabs: list[_Chunk] = []
    parts: list[_Chunk] = []  # since the last slab
    positions: dict[str, int] = {}  # customer id -> its row in the index (duplicates merge)

    def collect(chunk: _Chunk) -> None:
        local = np.fromiter((positions.setdefault(cid, len(positions)) for cid in chunk.ids),
                            dtype=np.uint32, count=len(chunk.ids))
        report.duplicates += len(chunk.ids) - (len(positions) - report.customers)
        report.customers = len(positions)
        chunk.rows = local[chunk.rows] if len(chunk.rows) else chunk.rows
        chunk.ids = []
        parts.append(chunk)
        report.add(chunk)
        if progress:
            progress(chunk.read)
        if sum(len(part.fps) for part in parts) >= SLAB:
            slabs.append(_merge(parts, []))
            parts.clear()

    if workers <= 1:
        for chunk_rows in _chunks(rows):
            collect(_fingerprint_chunk(chunk_rows, key, country))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            pending = []
            for chunk_rows in _chunks(rows):
                pending.append(pool.submit(_fingerprint_chunk, chunk_rows, key, country))
                if len(pending) >= workers * 2:
                    collect(pending.pop(0).result())
            for future in pending:
                collect(future.result())
    merged = _merge(slabs + parts, report.problems)
    merged.ids = list(positions)
    if report.duplicates:  # a merged customer's value on two of its rows counts once
        pairs = np.unique(np.stack([merged.fps, merged.rows.astype(np.uint64)]), axis=1)
        merged.fps, merged.rows = pairs[0], pairs[1].astype(np.uint32)
    report.fingerprints = len(merged.fps)
    return merged, report


def _segment_name(kind: str, number: int) -> str:
    return f"{kind}-{number:06d}.seg"


def build_index(
    rows: Iterable[tuple[int, Row]], out: Path, key: bytes, *, country: str = "US",
    workers: int = 1, progress: Progress | None = None, strict: bool = False,
) -> BuildReport:
    """Build a fresh index folder at ``out`` (replacing an index already there).

    With ``strict`` a build that skipped a row or dropped a value writes nothing.
    """
    if out.exists() and not (out / "manifest.json").exists() and any(out.iterdir()):
        raise IndexFormatError(f"{out}: exists and is not a crossguard index; not overwriting")
    merged, report = _fingerprint_all(rows, key, country, workers, progress)
    if strict and report.problems:
        report.written = False
        return report
    staging = out.with_name(out.name + ".building")
    shutil.rmtree(staging, ignore_errors=True)
    private_dir(staging)
    name = _segment_name("base", 1)
    write_segment(staging / name, key_check_value(key), merged.fps, merged.rows, merged.ids)
    write_manifest(staging, key, [name], report.countries)
    if out.exists():
        shutil.rmtree(out)
    staging.replace(out)
    return report


def _next_number(names: list[str]) -> int:
    return max((int(name.split("-")[1].split(".")[0]) for name in names), default=0) + 1


def add_delta(
    rows: Iterable[tuple[int, Row]], index: Path, key: bytes, *, country: str = "US",
    remove_only: bool = False,
) -> BuildReport:
    """Append a delta segment: new or changed customers (their old rows tombstoned).

    With ``remove_only`` the rows' customer ids are only tombstoned.
    """
    opened = CustomerIndex.open(index, key)  # refuses a wrong key before anything is written
    names = [str(name) for name in read_manifest(index)["segments"]]  # type: ignore[attr-defined]
    merged, report = _fingerprint_all(rows, key, country, 1, None)
    if remove_only:
        empty = np.zeros(0, np.uint64)
        tombstones, ids = merged.ids, []
        fps, owners = empty, np.zeros(0, np.uint32)
    else:
        tombstones, ids = merged.ids, merged.ids
        fps, owners = merged.fps, merged.rows
    name = _segment_name("delta", _next_number(names))
    write_segment(index / name, key_check_value(key), fps, owners, ids, tombstones)
    countries = Counter(opened.country_counts)
    if not remove_only:
        countries.update(report.countries)
    write_manifest(index, key, [*names, name], countries)
    return report


def compact(index: Path, key: bytes) -> int:
    """Merge every segment into one base segment; returns the live customer count."""
    opened = CustomerIndex.open(index, key)
    ids: list[str] = []
    fps, rows = [], []
    for position, segment in enumerate(opened.segments):
        local_ids = segment.customer_ids()
        live = np.array([opened.is_live(cid, position) for cid in local_ids] or [False], dtype=bool)
        remap = np.full(len(local_ids) or 1, -1, dtype=np.int64)
        keep_ids = np.flatnonzero(live[: len(local_ids)])
        remap[keep_ids] = np.arange(len(ids), len(ids) + len(keep_ids))
        ids.extend(local_ids[i] for i in keep_ids)
        if len(segment.fps):
            keep = live[segment.rows] if len(local_ids) else np.zeros(len(segment.fps), bool)
            fps.append(np.asarray(segment.fps[keep]))
            rows.append(remap[segment.rows[keep]].astype(np.uint32))
    names = [segment.path.name for segment in opened.segments]
    name = _segment_name("base", _next_number(names))
    write_segment(
        index / name, key_check_value(key),
        np.concatenate(fps) if fps else np.zeros(0, np.uint64),
        np.concatenate(rows) if rows else np.zeros(0, np.uint32),
        ids,
    )
    write_manifest(index, key, [name], Counter(opened.country_counts))
    del opened
    for old in names:
        (index / old).unlink(missing_ok=True)
    return len(ids)
