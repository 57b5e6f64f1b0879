"""Reading the customer table: CSV, JSON Lines, or a SQL query.

Documented columns: ``customer_id,name,email,phone,address,postcode,country,
dob,card,driver_licence,passport,national_id,order_ids,device_ids,iban``; all but
``customer_id`` optional (``device_ids``: IMEIs, MEIDs, serial numbers; ``iban``:
the customer's bank accounts);
several values in one cell are separated by ``;``.
A bad row is reported by its line number (a SQL result: its row number) and
the reason, never its values.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crossguard.errors import CustomerInputError

COLUMNS = (
    "customer_id", "name", "email", "phone", "address", "postcode", "country", "dob", "card",
    "driver_licence", "passport", "national_id", "order_ids", "device_ids", "iban",
)
#: Extra columns read when present (e.g. the remediation code used in letters).
OPTIONAL_EXTRA = ("enrollment_code",)

Row = dict[str, list[str]]


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A whole row skipped (``field`` None) or one value of it dropped, by line, and why."""

    line: int
    reason: str
    field: str | None = None

    def __str__(self) -> str:
        if self.field is None:
            return f"line {self.line}: skipped row ({self.reason})"
        return f"line {self.line}: dropped field {self.field} ({self.reason})"


def _cells(record: dict[str, Any]) -> Row:
    """Split each known column's cell on ``;`` into trimmed non-empty values."""
    row: Row = {}
    for column in COLUMNS:
        cell = record.get(column)
        if cell is None:
            continue
        values = cell if isinstance(cell, list) else str(cell).split(";")
        cleaned = [str(value).strip() for value in values if str(value).strip()]
        if cleaned:
            row[column] = cleaned
    return row


@dataclass(frozen=True, slots=True)
class CsvBatch:
    """Consecutive raw CSV records, parsed where they are fingerprinted (a worker process).

    Records are split in the reading process by quote parity only, which is
    cheap; the csv module's parsing, the costly part, runs in parallel. ``lines``
    holds the file line each record starts on; a record whose quote never
    closes is in ``unclosed`` (it ran to the end of the file).
    """

    source: str
    header: tuple[str, ...]
    lines: tuple[int, ...]
    records: tuple[str, ...]
    unclosed: frozenset[int] = frozenset()

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[tuple[int, Row]]:
        readable = [(line, record) for line, record in zip(self.lines, self.records, strict=True)
                    if line not in self.unclosed]
        while readable:
            reader = csv.DictReader(io.StringIO("".join(record for _, record in readable),
                                                newline=""), fieldnames=self.header, strict=True)
            done = 0
            try:
                for (line, _), parsed in zip(readable, reader, strict=True):
                    done += 1
                    if None in parsed:
                        yield line, {"__problem__": ["more cells than header columns"]}
                    else:
                        yield line, _cells(parsed)
            except csv.Error:  # a stray quote: that record is skipped, the batch goes on
                yield readable[done][0], {"__problem__": ["malformed CSV (a stray quote)"]}
                done += 1
            except ValueError:
                raise CustomerInputError(f"{self.source}: unreadable CSV") from None
            readable = readable[done:]
        for line in sorted(self.unclosed):
            record = self.records[self.lines.index(line)]
            last = line + record.rstrip("\r\n").count("\n")
            yield line, {"__problem__": [f"a quote opened here never closes: lines {line}-{last} "
                                         "not read"]}


def csv_batches(path: Path, size: int) -> Iterator[CsvBatch]:
    """A CSV customer table with a header line, as batches of ``size`` raw records."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as error:
        raise CustomerInputError(f"{path}: cannot open ({error.strerror})") from None
    with handle:
        try:
            header = next(csv.reader([handle.readline()]), [])
            if "customer_id" not in header:
                raise CustomerInputError(f"{path}: the header has no customer_id column")
            unknown = [n for n in header if n not in COLUMNS and n not in OPTIONAL_EXTRA]
            if unknown:
                raise CustomerInputError(f"{path}: unknown columns: {', '.join(unknown)}")
            records: list[str] = []
            lines: list[int] = []
            pending, start = "", 2
            for number, line in enumerate(handle, start=2):
                if not pending:
                    start = number
                pending += line
                if pending.count('"') % 2:  # a quoted cell goes on on the next line
                    continue
                if pending.strip():
                    records.append(pending)
                    lines.append(start)
                pending = ""
                if len(records) >= size:
                    yield CsvBatch(str(path), tuple(header), tuple(lines), tuple(records))
                    records, lines = [], []
            unclosed = frozenset({start}) if pending.count('"') % 2 else frozenset()
            if pending.strip():
                records.append(pending)
                lines.append(start)
            if records:
                yield CsvBatch(str(path), tuple(header), tuple(lines), tuple(records), unclosed)
        except UnicodeDecodeError as error:
            raise CustomerInputError(f"{path}: unreadable CSV ({type(error).__name__})") from None


def read_csv(path: Path) -> Iterator[tuple[int, Row]]:
    """Rows of a CSV customer table with a header line."""
    for batch in csv_batches(path, 10_000):
        yield from batch


def read_jsonl(path: Path) -> Iterator[tuple[int, Row]]:
    """Rows of a JSON Lines customer table (one object per line)."""
    try:
        handle = path.open(encoding="utf-8")
    except OSError as error:
        raise CustomerInputError(f"{path}: cannot open ({error.strerror})") from None
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                yield number, {"__problem__": ["not valid JSON"]}
                continue
            if not isinstance(record, dict):
                yield number, {"__problem__": ["not a JSON object"]}
                continue
            yield number, _cells(record)


def read_sql(url: str, query: str) -> Iterator[tuple[int, Row]]:
    """Rows returned by a SQL query over an SQLAlchemy URL (columns named as in the CSV)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    try:
        engine = create_engine(url)
        with engine.connect() as connection:
            result = connection.execution_options(stream_results=True).execute(text(query))
            for number, mapping in enumerate(result.mappings(), start=1):
                yield number, _cells(dict(mapping))
    except SQLAlchemyError as error:
        raise CustomerInputError(f"customer query failed ({type(error).__name__})") from None


class CsvSource:
    """A CSV table: iterating gives rows; ``batches`` gives raw batches for the workers."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __iter__(self) -> Iterator[tuple[int, Row]]:
        return read_csv(self.path)

    def batches(self, size: int) -> Iterator[CsvBatch]:
        return csv_batches(self.path, size)


def read_customers(
    path: Path | None = None, *, sql_url: str | None = None, query: str | None = None
) -> Iterable[tuple[int, Row]]:
    """Rows from a .csv / .jsonl file, or from ``sql_url`` + ``query``.

    A CSV table comes as :class:`CsvBatch` objects (an iterable of rows each),
    which :mod:`crossguard.index.build` parses in its worker processes.
    """
    if sql_url:
        if not query:
            raise CustomerInputError("--sql-url needs --query")
        return read_sql(sql_url, query)
    if path is None:
        raise CustomerInputError("no customer input: give a .csv or .jsonl file, or --sql-url")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return CsvSource(path)
    if suffix in (".jsonl", ".ndjson"):
        return read_jsonl(path)
    raise CustomerInputError(f"{path}: expected a .csv or .jsonl file")
