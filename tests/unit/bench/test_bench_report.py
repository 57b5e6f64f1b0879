"""Bench helpers: statistics, tables, the generic renderer, script discovery."""

from __future__ import annotations

import math

import run_all
from lib import report
from lib.measure import percentile
from lib.results import BENCH
from lib.tables import markdown_table
from scale import fit_log, fit_power


def test_percentile_interpolates() -> None:
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert percentile([5.0], 99) == 5.0
    assert math.isnan(percentile([], 50))


def test_markdown_table_escapes_pipes_and_formats() -> None:
    table = markdown_table(["a", "b"], [["x|y", 1234567], [None, 0.12345]])
    lines = table.splitlines()
    assert lines[0] == "| a | b |"
    assert "x\\|y" in lines[2] and "1,234,567" in lines[2]
    assert lines[3] == "| - | 0.123 |"


def test_power_fit_recovers_exponent() -> None:
    a, b = fit_power([1e3, 1e4, 1e5], [2.0, 20.0, 200.0])
    assert math.isclose(b, 1.0, rel_tol=1e-9)
    assert math.isclose(a * 1e6**b, 2000.0, rel_tol=1e-6)
    assert math.isnan(fit_power([1e3], [1.0])[0])


def test_log_fit_recovers_binary_search_growth() -> None:
    a, b = fit_log([2.0**10, 2.0**20], [1.0, 2.0])
    assert math.isclose(b, 0.1) and math.isclose(a + b * 30, 3.0)


def test_generic_render_tables_nested_rows() -> None:
    lines = report.render_generic({"recall": 1.0, "per_kind": {"EMAIL": {"recall": 0.5}},
                                   "quick": False})
    text = "\n".join(lines)
    assert "| recall | 1.00 |" in text
    assert "| EMAIL | 0.5 |" in text
    assert "quick" not in text


def test_stamp_says_when_unknown() -> None:
    assert "unknown time" in report.stamp({"recall": 1.0})
    assert "written 2026" in report.stamp({"recall": 1.0, "written": "2026-01-01"})
    assert "quick run" in report.stamp({"quick": True, "date": "d"})


def test_the_script_list_is_every_benchmark_dependencies_first() -> None:
    names = [path.name for path in run_all.scripts()]
    on_disk = {path.name for path in BENCH.glob("*.py")} - {"run_all.py"}
    assert sorted(names) == sorted(on_disk)  # a new script is listed, a listed one exists
    assert len(names) == len(set(names))
    assert names.index("index.py") < names.index("scale.py") < names.index("speed.py")
    assert run_all.accepts_quick(BENCH / "speed.py")


def test_checks_fail_when_crossguard_recall_is_lower() -> None:
    counts = {"recall": 0.5, "precision": 1.0, "f2": 0.5}
    better = {"recall": 0.9, "precision": 1.0, "f2": 0.9}
    entities = ("EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "US_SSN")
    results = {
        "speed": {"ratio_vs_presidio_spacy": {"cg-guard": 25.0}},
        "accuracy": {"synth": {
            "rows": {"crossguard": dict.fromkeys(entities, counts),
                     "presidio-regex": dict.fromkeys(entities, better)},
            "totals": {"crossguard": {"common": counts}, "presidio-regex": {"common": better}},
        }},
        "mime_corpus": {"totals": {"uncaught": 0}},
    }
    rows = report.checks(results)
    assert rows[0][2] == "pass"
    assert [row[2] for row in rows[1:6]] == ["FAIL"] * 5
    assert rows[6][2] == "FAIL" and rows[7][2] == "pass"


def test_incident_render_has_a_row_per_cluster_size() -> None:
    run = {"messages_per_second": 2000.0, "messages_per_second_per_process": 2000.0,
           "messages_per_second_per_core": 2000.0, "worker_cpu_ms_per_message": 0.5,
           "messages_per_worker_cpu_second": 2000.0, "coordinator_cpu_ms_per_message": 0.1,
           "load_average_1m": 0.2, "matches_ground_truth": True}
    result = {"messages": 10_000, "batch_size": 250, "cores": 2, "per_core_workers": 2,
              "runs": {"1": run, "2": {**run, "matches_ground_truth": False}},
              "scaling_efficiency_wall": {"1": 1.0, "2": 0.5},
              "scaling_efficiency_cpu": {"1": 1.0, "2": 0.95},
              "messages_per_second_per_core": 2000.0, "cpu_messages_per_second_per_core": 1800.0,
              "note": "n"}
    text = "\n".join(report.render_incident(result))
    assert "cluster of 1, 2 worker processes" in text
    assert "| 1 | 2,000 | 2,000 | 2,000 | 1.00 | 0.5 | 2,000 | 1.00 | 0.1 | 0.2 | yes |" in text
    assert "| 2 | 2,000 | 2,000 | 2,000 | 0.5 | 0.5 | 2,000 | 0.95 | 0.1 | 0.2 | NO |" in text
