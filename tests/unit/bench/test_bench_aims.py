"""The aims table: result dicts in, one row per aim with pass / short / not measured."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lib.aims import evaluate, load_aims, results_used

SPEED = {"engines": {"cg-guard-large": {"messages_per_s": 1000.0, "ms_p99": 2.5},
                     "presidio-spacy": {"messages_per_s": 5.0},
                     "presidio-regex": {"messages_per_s": 100.0}},
         "large_index": {"customers": 1_000_000}}


def _aim(*checks: dict[str, Any], where: tuple[dict[str, Any], ...] = ()) -> dict[str, Any]:
    return {"aim": "the aim", "checks": list(checks), "where": list(where)}


def _rows(aim: dict[str, Any], results: dict[str, dict[str, Any]]) -> list[str]:
    (row,) = evaluate([aim], results)
    return row.as_list()


def test_at_least_and_at_most_give_pass_and_short() -> None:
    fast = _aim({"result": "speed", "key": "engines.cg-guard-large.messages_per_s",
                 "at_least": 900, "unit": "msg/s"})
    quick = _aim({"result": "speed", "key": "engines.cg-guard-large.ms_p99", "at_most": 2,
                  "unit": "ms"})
    assert _rows(fast, {"speed": SPEED}) == ["the aim", "1,000 msg/s", "pass"]
    assert _rows(quick, {"speed": SPEED}) == ["the aim", "2.50 ms", "short"]


def test_a_ratio_divides_by_the_other_figure_of_the_same_run() -> None:
    ratio = _aim({"result": "speed", "key": "engines.cg-guard-large.messages_per_s",
                  "over": "engines.presidio-regex.messages_per_s", "at_least": 15, "unit": "x"})
    assert _rows(ratio, {"speed": SPEED})[1:] == ["10 x", "short"]


def test_every_check_of_a_row_must_pass() -> None:
    gateway = {"end_to_end_msgs_per_s": 600.0, "lost": 0, "doubled": 1}
    aim = _aim({"result": "gateway", "key": "end_to_end_msgs_per_s", "at_least": 500},
               {"result": "gateway", "key": "lost", "at_most": 0, "unit": "lost"},
               {"result": "gateway", "key": "doubled", "at_most": 0, "unit": "doubled"})
    assert _rows(aim, {"gateway": gateway})[1:] == ["600; 0 lost; 1 doubled", "short"]
    assert _rows(aim, {"gateway": {**gateway, "doubled": 0}})[2] == "pass"


def test_a_wildcard_judges_the_worst_value() -> None:
    scale = {"points": [{"customers": 10**6, "open_ms": 1.0},
                        {"customers": 10**8, "open_ms": 7.0}]}
    aim = _aim({"result": "scale", "key": "points.*.open_ms", "at_most": 5, "unit": "ms"})
    assert _rows(aim, {"scale": scale})[1:] == ["7 ms (worst of 2)", "short"]
    lows = {"scaling_efficiency_cpu": {"1": 1.0, "2": 0.95, "4": 0.85}}
    linear = _aim({"result": "incident", "key": "scaling_efficiency_cpu.*", "at_least": 0.9})
    assert _rows(linear, {"incident": lows})[1:] == ["0.85 (worst of 3)", "short"]


def test_the_first_key_found_is_read() -> None:
    aim = _aim({"result": "scale", "key": ["points.*.total_peak_rss_mb",
                                           "points.*.build_peak_rss_mb"], "at_most": 8192})
    old = {"points": [{"build_peak_rss_mb": 100.0}]}
    new = {"points": [{"total_peak_rss_mb": 9000.0, "build_peak_rss_mb": 100.0}]}
    assert _rows(aim, {"scale": old})[2] == "pass"
    assert _rows(aim, {"scale": new})[2] == "short"


def test_a_run_that_is_not_the_one_the_aim_names_is_not_comparable() -> None:
    where = ({"result": "scale", "key": "points.*.customers", "reduce": "max",
              "at_least": 100_000_000, "unit": "customers"},)
    aim = _aim({"result": "scale", "key": "points.*.rss", "at_most": 8192, "unit": "MB"},
               where=where)
    small = {"points": [{"customers": 10**6, "rss": 100.0}, {"customers": 10**7, "rss": 900.0}]}
    assert _rows(aim, {"scale": small}) == [
        "the aim", "900 MB (worst of 2) (run: 10,000,000 customers (max of 2))", "not comparable"]
    large = {"points": [*small["points"], {"customers": 10**8, "rss": 7000.0}]}
    assert _rows(aim, {"scale": large})[2] == "pass"


def test_linearity_needs_the_four_process_run() -> None:
    (linear,) = [aim for aim in load_aims() if aim["aim"].startswith("Incident scan linear")]
    one = {"runs": {"1": {"workers": 1}}, "scaling_efficiency_cpu": {"1": 1.0}}
    assert _rows(linear, {"incident": one})[2] == "not comparable"
    four = {"runs": {n: {"workers": int(n)} for n in ("1", "2", "4")},
            "scaling_efficiency_cpu": {"1": 1.0, "2": 0.97, "4": 0.93}}
    assert _rows(linear, {"incident": four})[1:] == ["0.93 of 1 process (worst of 3)", "pass"]


@pytest.mark.parametrize(("results", "why"), [
    ({}, "no bench/results/speed.json"),
    ({"speed": {"engines": {}}}, "speed.json has no engines.cg-guard-large.messages_per_s"),
    ({"speed": {"engines": {"cg-guard-large": {"messages_per_s": None}}}},
     "speed.json engines.cg-guard-large.messages_per_s is not a number"),
])
def test_a_missing_file_or_key_is_named_not_passed(results: dict[str, dict[str, Any]],
                                                   why: str) -> None:
    aim = _aim({"result": "speed", "key": "engines.cg-guard-large.messages_per_s",
                "at_least": 900})
    assert _rows(aim, results)[1:] == [f"not measured: {why}", "not measured"]


def test_a_zero_denominator_is_not_measured() -> None:
    aim = _aim({"result": "speed", "key": "a", "over": "b", "at_least": 1})
    assert _rows(aim, {"speed": {"a": 1.0, "b": 0}})[2] == "not measured"


def test_the_aims_file_names_every_row_of_the_issue(tmp_path: Path) -> None:
    aims = load_aims()
    assert len(aims) == 11
    assert {name for aim in aims for name in results_used(aim)} == {
        "speed", "index", "gateway", "gateway_postgres", "incident", "scale"}
    rows = evaluate(aims, {})
    assert [row.status for row in rows] == ["not measured"] * 11
    target = tmp_path / "aims.toml"
    target.write_text('[[aims]]\naim = "x"\nchecks = [{ result = "r", key = "k", at_least = 1 }]\n',
                      encoding="utf-8")
    assert [row.as_list() for row in evaluate(load_aims(target), {"r": {"k": 2}})] == [
        ["x", "2", "pass"]]
