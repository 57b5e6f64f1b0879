"""The bounded-memory build: spilled runs and the id spool give the in-memory build's bytes."""

from __future__ import annotations

import json
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from crossguard.errors import IndexFormatError
from crossguard.index import build
from crossguard.index.build import build_index
from crossguard.index.customer_fingerprints import customer_fingerprints
from crossguard.index.customer_index import CustomerIndex
from crossguard.index.customer_input import Row, read_customers
from crossguard.index.fingerprint import Keyer, key_check_value
from crossguard.index.runs import RunSpool
from crossguard.index.segment import write_segment
from crossguard.synth.customers import Customer, write_customers_csv

Rows = list[tuple[int, Row]]


def _rows(customers: list[Customer], tmp_path: Path, repeat: bool) -> Rows:
    rows = list(read_customers(write_customers_csv(customers[:60], tmp_path / "c.csv")))
    if repeat:  # customers on several rows: some values repeated, some new
        extra = list(read_customers(write_customers_csv(customers[60:80], tmp_path / "d.csv")))
        for (number, row), (_, source) in zip(extra, rows[::3], strict=False):
            rows.append((number + 1000, {**row, "customer_id": source["customer_id"]}))
        rows.extend(rows[5:15])
    return rows


def _in_memory(rows: Rows, key: bytes, path: Path) -> None:
    """The build as it was before runs: a dict of ids, every pair in memory, one sort."""
    keyer = Keyer(key)
    positions: dict[str, int] = {}
    fps: list[int] = []
    owners: list[int] = []
    words: set[int] = set()
    for _, row in rows:
        found, _, row_words = customer_fingerprints(row, keyer, "US")
        words.update(row_words)
        position = positions.setdefault(row["customer_id"][0], len(positions))
        fps.extend(fp for fp, _ in found)
        owners.extend([position] * len(found))
    pairs = np.stack([np.array(fps, np.uint64), np.array(owners, np.uint64)])
    if len(positions) < len(rows):
        pairs = np.unique(pairs, axis=1)
    write_segment(path, key_check_value(key), pairs[0], pairs[1].astype(np.uint32),
                  list(positions), words=np.array(sorted(words), np.uint64))


@pytest.mark.parametrize("repeat", [False, True], ids=["distinct ids", "repeated ids"])
def test_spilled_build_is_byte_identical_to_the_in_memory_build(
        tmp_path: Path, customers: list[Customer], index_key: bytes,
        monkeypatch: pytest.MonkeyPatch, repeat: bool) -> None:
    rows = _rows(customers, tmp_path, repeat)
    _in_memory(rows, index_key, tmp_path / "reference.seg")
    one = build_index(rows, tmp_path / "one", index_key)
    monkeypatch.setattr(build, "CHUNK_ROWS", 7)
    spilled = []
    original = RunSpool._spill

    def counted(spool: RunSpool) -> None:
        spilled.append(spool.runs)
        original(spool)

    monkeypatch.setattr(RunSpool, "_spill", counted)
    tiny = build_index(rows, tmp_path / "tiny", index_key, run_size=13)
    assert len(spilled) > 50  # many runs, merged a block at a time
    assert (one.customers, one.duplicates, one.fingerprints) == (
        tiny.customers, tiny.duplicates, tiny.fingerprints)
    assert (one.duplicates > 0) == repeat
    reference = (tmp_path / "reference.seg").read_bytes()
    assert (tmp_path / "one" / "base-000001.seg").read_bytes() == reference
    assert (tmp_path / "tiny" / "base-000001.seg").read_bytes() == reference
    assert ((tmp_path / "one" / "manifest.json").read_bytes()
            == (tmp_path / "tiny" / "manifest.json").read_bytes())


def test_a_chance_id_hash_collision_keeps_customers_apart(
        tmp_path: Path, customers: list[Customer], index_key: bytes,
        monkeypatch: pytest.MonkeyPatch) -> None:
    rows = _rows(customers, tmp_path, True)
    honest = build_index(rows, tmp_path / "honest", index_key, run_size=50)
    # every id hashes alike, as if every pair of ids collided
    monkeypatch.setattr(build, "id_hashes",
                        lambda ids, key: np.zeros(len(ids), dtype=np.uint64))
    colliding = build_index(rows, tmp_path / "colliding", index_key, run_size=50)
    assert (colliding.customers, colliding.duplicates) == (honest.customers, honest.duplicates)
    assert ((tmp_path / "honest" / "base-000001.seg").read_bytes()
            == (tmp_path / "colliding" / "base-000001.seg").read_bytes())


def test_run_files_are_private_hold_no_identifier_and_go_away(
        tmp_path: Path, customers: list[Customer], index_key: bytes,
        monkeypatch: pytest.MonkeyPatch) -> None:
    rows = _rows(customers, tmp_path, False)
    monkeypatch.setattr(build, "CHUNK_ROWS", 5)
    staging = tmp_path / "ix.building"
    seen: list[Path] = []

    def look(_: int) -> None:
        runs = sorted((staging / "runs").iterdir())
        seen.extend(runs)
        assert stat.S_IMODE((staging / "runs").stat().st_mode) == 0o700
        for path in [*runs, *(staging / "ids").iterdir()]:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
        blob = b"".join(path.read_bytes() for path in runs)
        for _, row in rows:
            for values in row.values():
                for value in values:
                    assert len(value) < 4 or value.encode() not in blob

    build_index(rows, tmp_path / "ix", index_key, progress=look, run_size=40)
    assert seen and not staging.exists()

    def failing() -> Iterator[tuple[int, Row]]:
        yield from rows
        raise OSError("the table went away")

    with pytest.raises(OSError, match="went away"):
        build_index(failing(), tmp_path / "ix", index_key, run_size=40)
    assert not staging.exists()
    assert CustomerIndex.open(tmp_path / "ix", index_key).stats()["customers"] == 60


def test_a_strict_build_with_problems_leaves_no_runs(tmp_path: Path, index_key: bytes) -> None:
    table = tmp_path / "c.csv"
    table.write_text("customer_id,email\nA,a@example.org\n,b@example.org\n", encoding="utf-8")
    report = build_index(read_customers(table), tmp_path / "ix", index_key, strict=True,
                         run_size=1)
    assert not report.written and report.skipped_rows == 1
    assert sorted(path.name for path in tmp_path.iterdir()) == ["c.csv"]


def test_an_older_segment_format_names_the_rebuild(built_index: Path, tmp_path: Path,
                                                   index_key: bytes) -> None:
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in built_index.iterdir():
        data = bytearray(path.read_bytes())
        if path.suffix == ".seg":
            data[8:12] = (2).to_bytes(4, "little")
        (copy / path.name).write_bytes(bytes(data))
    with pytest.raises(IndexFormatError, match=r"format 2.*rebuild the index with "
                                               r"`crossguard index build`"):
        CustomerIndex.open(copy, index_key)


def test_an_older_manifest_format_names_the_rebuild(built_index: Path, tmp_path: Path,
                                                    index_key: bytes) -> None:
    """Format 1 kept name pairs in written order: read now, its names would never match."""
    copy = tmp_path / "copy"
    shutil.copytree(built_index, copy)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    (copy / "manifest.json").write_text(json.dumps({**manifest, "format": 1}), encoding="utf-8")
    with pytest.raises(IndexFormatError, match=r"index format 1, this crossguard reads format 2"
                                               r": build the index again"):
        CustomerIndex.open(copy, index_key)


def test_a_segment_with_a_table_its_header_does_not_name_is_refused(
        built_index: Path, tmp_path: Path, index_key: bytes) -> None:
    """E.g. a segment written without the bucket table, or with trailing bytes."""
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in built_index.iterdir():
        extra = bytes(64) if path.suffix == ".seg" else b""
        (copy / path.name).write_bytes(path.read_bytes() + extra)
    with pytest.raises(IndexFormatError, match=r"unknown layout.*`crossguard index build`"):
        CustomerIndex.open(copy, index_key)


def test_the_stored_bucket_table_is_where_each_bucket_starts(built_index: Path,
                                                             index_key: bytes) -> None:
    segment = CustomerIndex.open(built_index, index_key).segments[0]
    table = segment.buckets
    firsts = np.arange(1 << table.bits, dtype=np.uint64) << np.uint64(64 - table.bits)
    expected = np.append(np.searchsorted(segment.fps, firsts), len(segment.fps))
    assert table.starts.tolist() == expected.tolist()
    assert table.steps == int(np.diff(expected).max()).bit_length()


@pytest.mark.parametrize(("run_size", "block"), [(1, 1), (7, 3), (64, 5), (10_000, 2)])
def test_runs_merge_back_in_fingerprint_then_row_order(tmp_path: Path, run_size: int,
                                                       block: int) -> None:
    rng = np.random.default_rng(run_size)
    fps = rng.integers(0, 9, 500).astype(np.uint64)  # many ties, across runs and blocks
    rows = np.sort(rng.integers(0, 200, 500)).astype(np.uint32)  # rows as a build adds them
    with RunSpool(tmp_path / "runs", run_size) as spool:
        for at in range(0, 500, 37):
            spool.add(fps[at : at + 37], rows[at : at + 37])
        merged = list(spool.merged(block))
        assert spool.runs == -(-500 // run_size)
    order = np.lexsort((rows, fps))
    assert np.array_equal(np.concatenate([part[0] for part in merged]), fps[order])
    assert np.array_equal(np.concatenate([part[1] for part in merged]), rows[order])
    assert not (tmp_path / "runs").exists()
