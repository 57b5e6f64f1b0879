"""The index file: keyed hashes only, wrong keys refused, deltas and compaction."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from crossguard.core.kinds import IndexKind
from crossguard.errors import CustomerInputError, IndexFormatError, IndexKeyError
from crossguard.index import build, normalize
from crossguard.index.build import add_delta, build_index, compact
from crossguard.index.customer_index import CustomerIndex
from crossguard.index.customer_input import read_customers
from crossguard.index.fingerprint import Keyer
from crossguard.synth.customers import Customer, write_customers_csv


def _email_fp(key: bytes, address: str) -> np.ndarray:  # type: ignore[type-arg]
    return np.array([Keyer(key).exact(IndexKind.EMAIL, address)], dtype=np.uint64)


def _owners(index: CustomerIndex, key: bytes, address: str) -> set[str]:
    """The address's owners, found by a lookup and by ``owners`` alike."""
    found = {hit.customer_id for hit in index.lookup(_email_fp(key, address))}
    one = index.owners(Keyer(key).exact(IndexKind.EMAIL, address))
    assert sorted(one) == sorted(found)
    return found


def test_index_files_hold_no_raw_values(built_index: Path, customers: list[Customer]) -> None:
    blob = b"".join(path.read_bytes() for path in built_index.iterdir())
    for customer in customers[:50]:
        digits = normalize.card(customer.card)
        assert digits is not None
        for value in (customer.email, customer.phone, customer.driver_licence, customer.passport,
                      customer.national_id, digits, customer.street, customer.name,
                      customer.order_ids[0]):
            assert value.encode() not in blob
            assert value.lower().encode() not in blob


def test_wrong_key_is_refused_with_a_clear_message(built_index: Path) -> None:
    with pytest.raises(IndexKeyError, match="built with another key"):
        CustomerIndex.open(built_index, b"\x01" * 32)


def test_not_an_index_is_a_clear_error(tmp_path: Path, index_key: bytes) -> None:
    with pytest.raises(IndexFormatError, match="not a crossguard index"):
        CustomerIndex.open(tmp_path, index_key)


def test_truncated_segment_is_a_clear_error(built_index: Path, tmp_path: Path,
                                            index_key: bytes) -> None:
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in built_index.iterdir():
        data = path.read_bytes()
        (copy / path.name).write_bytes(data[: len(data) // 2] if path.suffix == ".seg" else data)
    with pytest.raises(IndexFormatError, match="truncated"):
        CustomerIndex.open(copy, index_key)


def test_lookup_finds_each_customer_by_email(built_index: Path, customers: list[Customer],
                                             index_key: bytes) -> None:
    index = CustomerIndex.open(built_index, index_key)
    for customer in customers[:20]:
        assert _owners(index, index_key, customer.email) == {customer.customer_id}
    assert _owners(index, index_key, "nobody@example.org") == set()


def test_commonness_is_the_number_of_owners(tmp_path: Path, index_key: bytes) -> None:
    rows = tmp_path / "shared.csv"
    rows.write_text("customer_id,phone\nA,(212) 736-5000\nB,(212) 736-5000\nC,(212) 736-5001\n")
    build_index(read_customers(rows), tmp_path / "ix", index_key)
    index = CustomerIndex.open(tmp_path / "ix", index_key)
    fp = Keyer(index_key).exact(IndexKind.PHONE, "+12127365000")
    hits = index.lookup(np.array([fp], dtype=np.uint64))
    assert {hit.customer_id for hit in hits} == {"A", "B"}
    assert {hit.owners for hit in hits} == {2}
    assert sorted(index.owners(fp)) == ["A", "B"]


def test_add_remove_and_compact(tmp_path: Path, customers: list[Customer],
                                index_key: bytes) -> None:
    first, second = customers[:10], customers[10:15]
    build_index(read_customers(write_customers_csv(first, tmp_path / "a.csv")),
                tmp_path / "ix", index_key)
    add_delta(read_customers(write_customers_csv(second, tmp_path / "b.csv")),
              tmp_path / "ix", index_key)
    gone = tmp_path / "gone.csv"
    gone.write_text(f"customer_id\n{first[0].customer_id}\n")
    add_delta(read_customers(gone), tmp_path / "ix", index_key, remove_only=True)
    index = CustomerIndex.open(tmp_path / "ix", index_key)
    assert len(index.segments) == 3
    assert _owners(index, index_key, second[0].email) == {second[0].customer_id}
    assert _owners(index, index_key, first[0].email) == set()
    assert _owners(index, index_key, first[1].email) == {first[1].customer_id}
    assert compact(tmp_path / "ix", index_key) == 14
    compacted = CustomerIndex.open(tmp_path / "ix", index_key)
    assert len(compacted.segments) == 1
    assert _owners(compacted, index_key, first[0].email) == set()
    assert _owners(compacted, index_key, second[4].email) == {second[4].customer_id}


def test_a_changed_customer_replaces_its_old_values(tmp_path: Path, index_key: bytes) -> None:
    (tmp_path / "a.csv").write_text("customer_id,email\nA,old@example.org\n")
    (tmp_path / "b.csv").write_text("customer_id,email\nA,new@example.org\n")
    build_index(read_customers(tmp_path / "a.csv"), tmp_path / "ix", index_key)
    add_delta(read_customers(tmp_path / "b.csv"), tmp_path / "ix", index_key)
    index = CustomerIndex.open(tmp_path / "ix", index_key)
    assert _owners(index, index_key, "old@example.org") == set()
    assert _owners(index, index_key, "new@example.org") == {"A"}


def test_bad_rows_are_reported_by_line_without_values(tmp_path: Path,
                                                      index_key: bytes) -> None:
    table = tmp_path / "bad.csv"
    table.write_text(
        "customer_id,email,phone,dob,card\n"
        "A,a@example.org,(212) 736-5000,1980-01-02,4111 1111 1111 1111\n"
        ",b@example.org,,,\n"
        "C,c@example.org,12,31/31/1999,4111 1111 1111 1112\n"
        "D,d@example.org,,,,extra-cell\n"
        "E,e@example.org,,,\n"
        "A,a2@example.org,,,\n"
        'F,"f@example.org,,,\n'
        "G,g@example.org,,,\n"
    )
    report = build_index(read_customers(table), tmp_path / "ix", index_key)
    assert (report.rows, report.customers, report.duplicates) == (7, 3, 1)
    reasons = [str(problem) for problem in report.problems]
    assert reasons == [
        "line 3: skipped row (no customer_id)",
        "line 4: dropped field phone (not a valid US phone number)",
        "line 4: dropped field dob (not a date in US's order)",
        "line 4: dropped field card (fails the Luhn check)",
        "line 5: skipped row (more cells than header columns)",
        "line 8: skipped row (a quote opened here never closes: lines 8-9 not read)",
    ]
    assert (report.skipped_rows, report.dropped_values) == (3, 3)
    card = report.fields["card"]
    assert (card.read, card.indexed, dict(card.dropped)) == (2, 1, {"fails the Luhn check": 1})
    assert report.fields["email"].read == 4
    assert not any("example.org" in reason or "31/31" in reason for reason in reasons)
    index = CustomerIndex.open(tmp_path / "ix", index_key)
    assert _owners(index, index_key, "a2@example.org") == {"A"}  # merged into A


def test_a_report_lists_the_first_problems_and_counts_them_all(
        tmp_path: Path, index_key: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    """More bad rows than are listed, over several chunks: the counts stay exact."""
    monkeypatch.setattr(build, "CHUNK_ROWS", 300)
    bad = build.MAX_PROBLEMS_LISTED + 500
    table = tmp_path / "t.csv"
    lines = [f",c{n}@example.org,\n" if n % 2 else f"C{n},c{n}@example.org,4111 1111 1111 1112\n"
             for n in range(bad)]
    table.write_text("customer_id,email,card\n" + "".join(lines), encoding="utf-8")
    report = build_index(read_customers(table), tmp_path / "ix", index_key)
    assert (report.skipped_rows, report.dropped_values) == (bad // 2, bad - bad // 2)
    assert report.problem_count == bad
    assert len(report.problems) == build.MAX_PROBLEMS_LISTED
    assert report.unlisted_problems == bad - build.MAX_PROBLEMS_LISTED
    assert [problem.line for problem in report.problems] == list(
        range(2, build.MAX_PROBLEMS_LISTED + 2))
    assert report.customers == bad - bad // 2 and report.written


def test_a_stray_quote_skips_its_row_only(tmp_path: Path, index_key: bytes) -> None:
    table = tmp_path / "t.csv"
    table.write_text('customer_id,name,email\nA,Ann Lee,a@example.org\n'
                     'B,"Bo Kim,b@example.org,,"x\nC,Cy Ng,c@example.org\n')
    report = build_index(read_customers(table), tmp_path / "ix", index_key)
    assert report.customers == 2
    assert [str(p) for p in report.problems] == [
        "line 3: skipped row (malformed CSV (a stray quote))"]


def test_a_strict_build_writes_nothing(tmp_path: Path, index_key: bytes) -> None:
    table = tmp_path / "t.csv"
    table.write_text("customer_id,national_id,country\nA,54362315-Z,ES\n")
    report = build_index(read_customers(table), tmp_path / "ix", index_key, strict=True)
    assert not report.written and not (tmp_path / "ix").exists()
    assert [str(p) for p in report.problems] == [
        "line 2: dropped field national_id (not a valid ES national id)"]


def test_unknown_column_and_missing_id_column(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_text("customer_id,shoe_size\nA,9\n")
    (tmp_path / "y.csv").write_text("email\na@example.org\n")
    with pytest.raises(CustomerInputError, match="unknown columns: shoe_size"):
        list(read_customers(tmp_path / "x.csv"))
    with pytest.raises(CustomerInputError, match="no customer_id column"):
        list(read_customers(tmp_path / "y.csv"))


def test_jsonl_and_sql_inputs_index_alike(tmp_path: Path, index_key: bytes) -> None:
    records = [{"customer_id": "A", "email": "a@example.org", "order_ids": ["ORD-12345678"]},
               {"customer_id": "B", "email": "b@example.org;b2@example.org"}]
    (tmp_path / "c.jsonl").write_text(
        "\n".join(json.dumps(r) for r in records) + "\nnot json\n", encoding="utf-8"
    )
    report = build_index(read_customers(tmp_path / "c.jsonl"), tmp_path / "j", index_key)
    assert report.customers == 2
    assert [str(p) for p in report.problems] == ["line 3: skipped row (not valid JSON)"]
    database = tmp_path / "crm.sqlite"
    with sqlite3.connect(database) as connection:
        connection.execute("create table customers (id text, mail text)")
        connection.executemany("insert into customers values (?, ?)",
                               [("A", "a@example.org"), ("B", "b@example.org;b2@example.org")])
    rows = read_customers(sql_url=f"sqlite:///{database}",
                          query="select id as customer_id, mail as email from customers")
    build_index(rows, tmp_path / "s", index_key)
    for folder in ("j", "s"):
        index = CustomerIndex.open(tmp_path / folder, index_key)
        assert _owners(index, index_key, "b2@example.org") == {"B"}


def test_parallel_build_equals_serial_build(tmp_path: Path, customers: list[Customer],
                                            index_key: bytes) -> None:
    table = write_customers_csv(customers[:120], tmp_path / "c.csv")
    build_index(read_customers(table), tmp_path / "one", index_key, workers=1)
    build_index(read_customers(table), tmp_path / "two", index_key, workers=2)
    one = CustomerIndex.open(tmp_path / "one", index_key).segments[0]
    two = CustomerIndex.open(tmp_path / "two", index_key).segments[0]
    assert np.array_equal(one.fps, two.fps)
    assert one.customer_ids() == two.customer_ids()


class _Batched:
    """Rows that also come as batches (as a CSV table or the bench row generator do)."""

    def __init__(self, rows: list[tuple[int, dict[str, list[str]]]]) -> None:
        self.rows = rows
        self.asked: list[int] = []

    def __iter__(self) -> Iterator[tuple[int, dict[str, list[str]]]]:
        return iter(self.rows)

    def batches(self, size: int) -> Iterator[list[tuple[int, dict[str, list[str]]]]]:
        self.asked.append(size)
        return (self.rows[at : at + 7] for at in range(0, len(self.rows), 7))


def test_a_table_with_its_own_batches_builds_the_same_index(
        tmp_path: Path, customers: list[Customer], index_key: bytes) -> None:
    rows = list(read_customers(write_customers_csv(customers[:40], tmp_path / "c.csv")))
    build_index(rows, tmp_path / "plain", index_key, workers=1)
    for workers in (1, 2):
        batched = _Batched(rows)
        report = build_index(batched, tmp_path / f"b{workers}", index_key, workers=workers)
        assert batched.asked and report.customers == 40
        plain = CustomerIndex.open(tmp_path / "plain", index_key).segments[0]
        built = CustomerIndex.open(tmp_path / f"b{workers}", index_key).segments[0]
        assert np.array_equal(plain.fps, built.fps)
        assert np.array_equal(plain.rows, built.rows)
        assert plain.customer_ids() == built.customer_ids()


def test_segment_sorts_fingerprints_stably_with_their_rows(tmp_path: Path) -> None:
    from crossguard.index.segment import Segment, write_segment

    rng = np.random.default_rng(5)
    fps = rng.integers(0, 2**64, 5_000, dtype=np.uint64, endpoint=False)
    fps[::3] = fps[1::3][: len(fps[::3])]  # runs of equal fingerprints
    rows = np.arange(len(fps), dtype=np.uint32)
    write_segment(tmp_path / "s.seg", b"k" * 8, fps, rows, ["A", "Bé"], ["T"])
    segment = Segment.open(tmp_path / "s.seg")
    order = np.argsort(fps, kind="stable")
    assert np.array_equal(segment.fps, fps[order])
    assert np.array_equal(segment.rows, rows[order])
    assert segment.customer_ids() == ["A", "Bé"] and segment.tombstones == {"T"}


def test_csv_batches_keep_quoted_newlines_and_line_numbers(tmp_path: Path) -> None:
    from crossguard.index.customer_input import csv_batches

    table = tmp_path / "c.csv"
    table.write_text(
        'customer_id,address,email\n'
        'A,"1 Main St\nSpringfield",a@example.org\n'
        'B,"2 ""Old"" Rd",b@example.org\n'
        ',3 High St,c@example.org\n'
        'D,"4 Elm St,\nApt 5\nBoston",d@example.org\n'
        'E,5 Oak St,e@example.org,extra\n',
        encoding="utf-8",
    )
    batches = list(csv_batches(table, 2))
    assert [(batch.lines, len(batch)) for batch in batches] == [((2, 4), 2), ((5, 6), 2),
                                                                ((9,), 1)]
    rows = [row for batch in batches for row in batch]
    assert [number for number, _ in rows] == [2, 4, 5, 6, 9]
    assert rows[0][1]["address"] == ["1 Main St\nSpringfield"]
    assert rows[1][1]["address"] == ['2 "Old" Rd']
    assert rows[3][1]["address"] == ["4 Elm St,\nApt 5\nBoston"]
    assert rows[4][1] == {"__problem__": ["more cells than header columns"]}
    assert rows == list(read_customers(table))


def _held(index: CustomerIndex, key: bytes, words: tuple[str, ...], kind: IndexKind
          ) -> list[bool]:
    tokens = np.array([Keyer(key).token(word) for word in words], dtype=np.uint64)
    return index.holds_words(tokens, kind).tolist()


def test_the_index_knows_its_customers_name_words_and_initials(
        tmp_path: Path, index_key: bytes) -> None:
    """Name words of every segment count (a delta's too, a compaction keeps them all);
    a word in no name, and a name of a row without a second word, does not."""
    (tmp_path / "a.csv").write_text("customer_id,name,email,address\n"
                                    "A,Jane Q. Smith,a@example.org,\"22 Baker Street, London\"\n"
                                    "B,Cher,b@example.org,\n")
    (tmp_path / "b.csv").write_text("customer_id,name\nC,\"Müller, Jürgen\"\n")
    build_index(read_customers(tmp_path / "a.csv"), tmp_path / "ix", index_key)
    index = CustomerIndex.open(tmp_path / "ix", index_key)
    name, street = IndexKind.NAME, IndexKind.STREET
    assert _held(index, index_key, ("jane", "q", "smith", "j", "s"), name) == [True] * 5
    assert _held(index, index_key, ("cher", "parcel", "muller"), name) == [False] * 3
    # the town and the house number are no street words
    assert _held(index, index_key, ("baker", "st", "london", "22"), street) == [
        True, True, False, False]
    assert _held(index, index_key, ("baker",), name) == [False]
    assert _held(index, index_key, ("smith",), street) == [False]
    add_delta(read_customers(tmp_path / "b.csv"), tmp_path / "ix", index_key)
    index = CustomerIndex.open(tmp_path / "ix", index_key)
    # across segments: "jane" is in the base, "muller" in the delta
    assert _held(index, index_key, ("jane", "muller", "parcel"), name) == [True, True, False]
    compact(tmp_path / "ix", index_key)
    index = CustomerIndex.open(tmp_path / "ix", index_key)
    assert _held(index, index_key, ("smith", "jurgen", "parcel"), name) == [True, True, False]


def test_a_segment_of_the_format_before_name_words_is_refused(
        built_index: Path, tmp_path: Path, index_key: bytes) -> None:
    for path in built_index.iterdir():
        raw = bytearray(path.read_bytes())
        if path.suffix == ".seg":
            raw[8:12] = (3).to_bytes(4, "little")  # the format version, after the magic
        (tmp_path / path.name).write_bytes(bytes(raw))
    with pytest.raises(IndexFormatError, match="index format 3, this crossguard reads format 4"):
        CustomerIndex.open(tmp_path, index_key)
