"""`index build`'s report when more problems were found than the build report lists."""

from __future__ import annotations

import json

import pytest

from crossguard.cli.index import MAX_PROBLEMS_SHOWN, _report
from crossguard.index.build import BuildReport
from crossguard.index.customer_input import RowProblem


def _report_with_unlisted() -> BuildReport:
    listed = [RowProblem(line, "no customer_id") for line in range(2, 2 + MAX_PROBLEMS_SHOWN + 5)]
    return BuildReport(rows=5_000, problems=listed, skipped_rows=4_000, dropped_values=900)


def test_text_report_counts_every_problem_not_only_the_listed(
        capsys: pytest.CaptureFixture[str]) -> None:
    _report(_report_with_unlisted(), 1.0, as_json=False)
    out, err = capsys.readouterr()
    assert "skipped rows: 4000; dropped values: 900" in out
    assert err.count("skipped row (no customer_id)") == MAX_PROBLEMS_SHOWN
    assert f"... and {4_900 - MAX_PROBLEMS_SHOWN} more problems" in err


def test_json_report_says_how_many_problems_are_not_listed(
        capsys: pytest.CaptureFixture[str]) -> None:
    _report(_report_with_unlisted(), 1.0, as_json=True)
    report = json.loads(capsys.readouterr().out)
    assert (report["skipped_rows"], report["dropped_values"]) == (4_000, 900)
    assert len(report["problems"]) == MAX_PROBLEMS_SHOWN + 5
    assert report["problems_not_listed"] == 4_900 - MAX_PROBLEMS_SHOWN - 5
