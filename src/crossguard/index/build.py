"""Writing indexes: build, add, remove, compact.

Rows are fingerprinted in parallel chunks (processes) when the table is large.
A table that hands out its own batches (:class:`BatchedRows`, e.g. a CSV
table's raw records) has them read in the workers, so the reading process does
not parse, pickle and send every row.

Memory stays bounded whatever the table's size: fingerprints go to sorted runs
on disk (:mod:`runs`), customer ids to a spool (:mod:`id_spool`) that finds the
rows of one customer by keyed hash, and the segment is written from the runs'
merge. Both live in the build's private staging folder and are removed on
success and on failure.
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
from crossguard.index.id_spool import Customers, IdSpool, id_hashes
from crossguard.index.runs import RUN_SIZE, Pairs, RunSpool
from crossguard.index.segment import SegmentWriter, write_segment

CHUNK_ROWS = 20_000
#: Problems a build report keeps as objects (the first, by line); the rest are only counted.
MAX_PROBLEMS_LISTED = 1_000
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

    ``skipped_rows`` and ``dropped_values`` count every problem; ``problems``
    lists only the first MAX_PROBLEMS_LISTED, so the report stays small however
    many rows are bad (``unlisted_problems`` says how many more there were).
    """

    rows: int = 0
    customers: int = 0
    duplicates: int = 0
    fingerprints: int = 0
    fields: dict[str, FieldCount] = field(default_factory=dict)
    countries: Counter[str] = field(default_factory=Counter)
    problems: list[RowProblem] = field(default_factory=list)
    skipped_rows: int = 0
    dropped_values: int = 0
    written: bool = True

    @property
    def problem_count(self) -> int:
        """Every problem: skipped rows and dropped values, listed or not."""
        return self.skipped_rows + self.dropped_values

    @property
    def unlisted_problems(self) -> int:
        return self.problem_count - len(self.problems)

    def add(self, chunk: _Chunk) -> None:
        """Count one fingerprinted chunk in (chunks come in line order)."""
        self.rows += chunk.read
        skipped = sum(1 for problem in chunk.problems if problem.field is None)
        self.skipped_rows += skipped
        self.dropped_values += len(chunk.problems) - skipped
        self.problems.extend(chunk.problems[: MAX_PROBLEMS_LISTED - len(self.problems)])
        self.countries.update(chunk.countries)
        for name, counts in chunk.fields.items():
            total = self.fields.setdefault(name, FieldCount())
            total.read += counts.read
            total.indexed += counts.indexed
            total.dropped.update(counts.dropped)


@dataclass(slots=True)
class _Chunk:
    """A chunk's customer ids (UTF-8, concatenated; lengths; keyed hashes), pairs, and
    name and street words (word keys, distinct)."""

    ids: bytes
    id_lengths: np.ndarray
    id_hashes: np.ndarray
    fps: np.ndarray
    rows: np.ndarray
    problems: list[RowProblem]
    words: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    read: int = 0
    fields: dict[str, FieldCount] = field(default_factory=dict)
    countries: Counter[str] = field(default_factory=Counter)


class _Words:
    """The distinct name and street words of a build, merged as chunks arrive: memory
    grows with the distinct words, not with the rows."""

    def __init__(self) -> None:
        self._merged = np.zeros(0, np.uint64)
        self._pending: list[np.ndarray] = []
        self._held = 0

    def add(self, words: np.ndarray) -> None:
        self._pending.append(words)
        self._held += len(words)
        if self._held > max(len(self._merged), 1 << 20):
            self._merge()

    def _merge(self) -> None:
        self._merged = np.unique(np.concatenate([self._merged, *self._pending]))
        self._pending, self._held = [], 0

    def array(self) -> np.ndarray:
        """Every word added, sorted, each once."""
        self._merge()
        return self._merged


def _fingerprint_chunk(rows: Iterable[tuple[int, Row]], key: bytes, country: str) -> _Chunk:
    keyer = Keyer(key)
    chunk = _Chunk(b"", np.zeros(0, np.uint32), np.zeros(0, np.uint64),
                   np.zeros(0, np.uint64), np.zeros(0, np.uint32), [])
    ids: list[bytes] = []
    fps: list[int] = []
    owners: list[int] = []
    words: set[int] = set()
    for number, row in rows:
        chunk.read += 1
        if "__problem__" in row:
            chunk.problems.append(RowProblem(number, row["__problem__"][0]))
            continue
        customer_id = (row.get("customer_id") or [""])[0]
        if not customer_id:
            chunk.problems.append(RowProblem(number, "no customer_id"))
            continue
        found, outcomes, row_words = customer_fingerprints(row, keyer, country)
        words.update(row_words)
        for column, reason in outcomes:
            counts = chunk.fields.setdefault(column, FieldCount())
            counts.read += 1
            if reason is None:
                counts.indexed += 1
            else:
                counts.dropped[reason] += 1
                chunk.problems.append(RowProblem(number, reason, column))
        chunk.countries[row_country(row, country)] += 1
        ids.append(customer_id.encode("utf-8"))
        fps.extend(fp for fp, _ in found)
        owners.extend([len(ids) - 1] * len(found))
    chunk.ids = b"".join(ids)
    chunk.id_lengths = np.fromiter(map(len, ids), np.uint32, len(ids))
    chunk.id_hashes = id_hashes(ids, key)
    chunk.fps, chunk.rows = np.array(fps, dtype=np.uint64), np.array(owners, dtype=np.uint32)
    chunk.words = np.fromiter(words, np.uint64, len(words))
    return chunk


def _chunks(rows: Iterable[tuple[int, Row]]) -> Iterator[Iterable[tuple[int, Row]]]:
    """Chunks of rows for the workers: the table's own batches if it has them, else lists."""
    if isinstance(rows, BatchedRows):
        yield from rows.batches(CHUNK_ROWS)
        return
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, CHUNK_ROWS)):
        yield chunk


def _fingerprint_all(
    rows: Iterable[tuple[int, Row]], key: bytes, country: str, workers: int,
    progress: Progress | None, runs: RunSpool, ids: IdSpool, words: _Words,
) -> tuple[BuildReport, Customers]:
    """Fingerprint every row into ``runs`` (pairs), ``ids`` and ``words``; resolve repeated
    ids."""
    report = BuildReport()

    def collect(chunk: _Chunk) -> None:
        first = ids.add(chunk.ids, chunk.id_lengths, chunk.id_hashes)
        runs.add(chunk.fps, chunk.rows + np.uint32(first))
        words.add(chunk.words)
        report.add(chunk)
        if progress:
            progress(chunk.read)

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
    customers = ids.resolve()
    report.customers, report.duplicates = customers.count, customers.duplicates
    return report, customers


def _unique_pairs(fps: np.ndarray, rows: np.ndarray) -> Pairs:
    """Pairs sorted by (fingerprint, customer), each once."""
    order = np.lexsort((rows, fps))
    fps, rows = fps[order], rows[order]
    keep = np.ones(len(fps), dtype=bool)
    keep[1:] = (fps[1:] != fps[:-1]) | (rows[1:] != rows[:-1])
    return fps[keep], rows[keep]


def _owned(runs: RunSpool, customers: Customers) -> Iterator[Pairs]:
    """The runs' pairs with rows turned into customers, sorted by (fingerprint, customer).

    A customer on several rows has a value of two of its rows once. Each
    fingerprint's pairs are sorted together: the last fingerprint of a merged
    block waits for the next block.
    """
    remap = customers.remap
    if remap is None:  # row and customer are one: the merge's order is the order
        yield from runs.merged()
        return
    held_fps, held_rows = np.zeros(0, np.uint64), np.zeros(0, np.uint32)
    for fps, rows in runs.merged():
        fps = np.concatenate([held_fps, fps])
        rows = np.concatenate([held_rows, remap[rows]])
        cut = int(np.searchsorted(fps, fps[-1], side="left"))
        held_fps, held_rows = fps[cut:], rows[cut:]
        yield _unique_pairs(fps[:cut], rows[:cut])
    yield _unique_pairs(held_fps, held_rows)


def _write(path: Path, key: bytes, pairs: Iterable[Pairs], ids: IdSpool,
           customers: Customers, words: np.ndarray, *, table: bool, tombstones: bool) -> int:
    """Write a segment of ``pairs`` and ``words``, with the customers' id ``table`` and/or
    as ``tombstones``; returns its fingerprint count."""
    id_off, id_blob = (ids.table(customers) if table
                       else (np.zeros(1, np.uint64), iter(())))
    with SegmentWriter(path, key_check_value(key)) as writer:
        for fps, rows in pairs:
            writer.add(fps, rows)
        writer.finish(id_off, id_blob, ids.ids(customers) if tombstones else (), words)
        return writer.count


def _segment_name(kind: str, number: int) -> str:
    return f"{kind}-{number:06d}.seg"


def build_index(
    rows: Iterable[tuple[int, Row]], out: Path, key: bytes, *, country: str = "US",
    workers: int = 1, progress: Progress | None = None, strict: bool = False,
    run_size: int = RUN_SIZE,
) -> BuildReport:
    """Build a fresh index folder at ``out`` (replacing an index already there).

    With ``strict`` a build that skipped a row or dropped a value writes nothing.
    ``run_size`` fingerprints are sorted in memory at a time (see :mod:`runs`).
    """
    if out.exists() and not (out / "manifest.json").exists() and any(out.iterdir()):
        raise IndexFormatError(f"{out}: exists and is not a crossguard index; not overwriting")
    staging = out.with_name(out.name + ".building")
    shutil.rmtree(staging, ignore_errors=True)
    private_dir(staging)
    try:
        with RunSpool(staging / "runs", run_size) as runs, IdSpool(staging / "ids") as ids:
            words = _Words()
            report, customers = _fingerprint_all(rows, key, country, workers, progress,
                                                 runs, ids, words)
            if strict and report.problem_count:
                report.written = False
                return report
            name = _segment_name("base", 1)
            report.fingerprints = _write(staging / name, key, _owned(runs, customers), ids,
                                         customers, words.array(), table=True,
                                         tombstones=False)
        write_manifest(staging, key, [name], report.countries)
        if out.exists():
            shutil.rmtree(out)
        staging.replace(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
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
    work = index / "delta.building"
    shutil.rmtree(work, ignore_errors=True)
    try:
        with RunSpool(work / "runs", RUN_SIZE) as runs, IdSpool(work / "ids") as ids:
            words = _Words()
            report, customers = _fingerprint_all(rows, key, country, 1, None, runs, ids, words)
            name = _segment_name("delta", _next_number(names))
            written = _write(index / name, key, () if remove_only else _owned(runs, customers),
                             ids, customers,
                             np.zeros(0, np.uint64) if remove_only else words.array(),
                             table=not remove_only, tombstones=True)
            # removed rows' fingerprints are counted, not written
            report.fingerprints = (sum(len(fps) for fps, _ in _owned(runs, customers))
                                   if remove_only else written)
    finally:
        shutil.rmtree(work, ignore_errors=True)
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
    words = [np.asarray(segment.words) for segment in opened.segments]
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
        ids, words=np.concatenate(words),
    )
    write_manifest(index, key, [name], Counter(opened.country_counts))
    del opened
    for old in names:
        (index / old).unlink(missing_ok=True)
    return len(ids)
