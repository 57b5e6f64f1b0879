"""`crossguard index build|add|remove|compact|stats`."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import click
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from crossguard.cli.options import (
    F,
    config_option,
    json_option,
    settings_for,
    target_index_option,
)
from crossguard.index.build import BuildReport, add_delta, build_index, compact
from crossguard.index.customer_index import CustomerIndex
from crossguard.index.customer_input import read_customers

MAX_PROBLEMS_SHOWN = 20


def _input_options(function: F) -> F:
    function = click.option("--query", default=None, help="SQL query returning customer rows.")(
        function
    )
    function = click.option("--sql-url", default=None, help="SQLAlchemy URL of the customer DB.")(
        function
    )
    return click.argument("input_path", metavar="INPUT", required=False,
                          type=click.Path(path_type=Path, dir_okay=False, exists=True))(function)


def _report(report: BuildReport, elapsed: float, as_json: bool, verb: str = "indexed") -> None:
    if as_json:
        click.echo(json.dumps({
            "customers": report.customers, "rows": report.rows,
            "duplicate_rows_merged": report.duplicates, "skipped_rows": report.skipped_rows,
            "dropped_values": report.dropped_values, "fingerprints": report.fingerprints,
            "written": report.written, "seconds": round(elapsed, 2),
            "countries": dict(sorted(report.countries.items())),
            "fields": {name: {"read": counts.read, "indexed": counts.indexed,
                              "dropped": dict(counts.dropped)}
                       for name, counts in sorted(report.fields.items())},
            "problems": [str(p) for p in report.problems],
            "problems_not_listed": report.unlisted_problems,
        }))
        return
    merged = f" ({report.duplicates} duplicate rows merged)" if report.duplicates else ""
    click.echo(f"{verb} {report.customers} customers from {report.rows} rows{merged}, "
               f"{report.fingerprints} fingerprints in {elapsed:.1f} s")
    click.echo(f"  skipped rows: {report.skipped_rows}; dropped values: {report.dropped_values}")
    for name, counts in sorted(report.fields.items()):
        reasons = "; ".join(f"{count} {reason}" for reason, count in counts.dropped.most_common())
        dropped = sum(counts.dropped.values())
        click.echo(f"  {name:>14}: read {counts.read}, indexed {counts.indexed}, "
                   f"dropped {dropped}{f' ({reasons})' if reasons else ''}")
    for problem in report.problems[:MAX_PROBLEMS_SHOWN]:
        click.echo(f"  {problem}", err=True)
    if report.problem_count > MAX_PROBLEMS_SHOWN:
        click.echo(f"  ... and {report.problem_count - MAX_PROBLEMS_SHOWN} more problems", err=True)


@click.group()
def index() -> None:
    """Build and maintain the customer index (keyed fingerprints only)."""


@index.command()
@_input_options
@click.option("--out", "out", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Index folder to write.")
@click.option("--force", is_flag=True, help="Replace an index already at --out.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes (default: CPU count).")
@click.option("--strict", is_flag=True,
              help="Write nothing and exit 2 when any row is skipped or any value dropped.")
@config_option
@json_option
def build(input_path: Path | None, sql_url: str | None, query: str | None, out: Path,
          force: bool, workers: int | None, strict: bool, config_path: Path | None,
          as_json: bool) -> None:
    """Build an index from INPUT (.csv | .jsonl) or --sql-url URL --query SQL."""
    if (out / "manifest.json").exists() and not force:
        raise click.UsageError(f"--out {out}: an index is already there; --force replaces it")
    settings = settings_for(config_path)
    key = settings.secret_key()
    rows = read_customers(input_path, sql_url=sql_url, query=query)
    started = time.perf_counter()
    console = Console(stderr=True)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=console, disable=as_json or not console.is_terminal) as progress:
        task = progress.add_task("fingerprinting customers", total=None)
        report = build_index(rows, out, key, country=settings.index.default_country,
                             workers=workers or os.cpu_count() or 1,
                             progress=lambda n: progress.advance(task, n), strict=strict)
    _report(report, time.perf_counter() - started, as_json)
    if not report.written:
        click.echo(f"index not written: --strict and {report.problem_count} problems", err=True)
        click.get_current_context().exit(2)


def _delta_command(name: str, remove_only: bool, help_text: str) -> None:
    """Register `index add` or `index remove`: both write one delta segment."""

    @index.command(name, help=help_text)
    @_input_options
    @target_index_option
    @config_option
    @json_option
    def delta(input_path: Path | None, sql_url: str | None, query: str | None,
              index_path: Path, config_path: Path | None, as_json: bool) -> None:
        settings = settings_for(config_path)
        started = time.perf_counter()
        report = add_delta(read_customers(input_path, sql_url=sql_url, query=query), index_path,
                           settings.secret_key(), country=settings.index.default_country,
                           remove_only=remove_only)
        _report(report, time.perf_counter() - started, as_json,
                "removed" if remove_only else "indexed")


_delta_command("add", False, "Add or replace the customers in INPUT (a delta segment).")
_delta_command("remove", True, "Remove the customers whose ids are in INPUT (tombstones).")


@index.command("compact")
@click.argument("index_path", metavar="INDEX", type=click.Path(path_type=Path, exists=True))
@config_option
def compact_command(index_path: Path, config_path: Path | None) -> None:
    """Merge every segment of INDEX into one."""
    customers = compact(index_path, settings_for(config_path).secret_key())
    click.echo(f"compacted {index_path}: {customers} customers in one segment")


@index.command()
@click.argument("index_path", metavar="INDEX", type=click.Path(path_type=Path, exists=True))
@config_option
@json_option
def stats(index_path: Path, config_path: Path | None, as_json: bool) -> None:
    """Counts and sizes of INDEX (no identifiers)."""
    opened = CustomerIndex.open(index_path, settings_for(config_path).secret_key())
    figures = opened.stats()
    if as_json:
        click.echo(json.dumps(figures))
        return
    for name, value in figures.items():
        click.echo(f"{name:>13}: {value}")
