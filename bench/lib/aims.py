"""The issue's aims (bench/aims.toml) against the result files: one row each, pass or short.

Each aim has checks on figures of ``bench/results/<result>.json`` and, optionally,
``where`` checks on the run the figures come from. A row is:

* ``pass`` when every check is met, ``short`` when one is not;
* ``not comparable`` when a ``where`` check fails (a quick run's small index);
* ``not measured`` when a result file or a key is missing, naming which: the
  scripts that write the files change, and a renamed key must show, not pass.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lib.results import BENCH
from lib.tables import format_cell

AIMS_FILE = BENCH / "aims.toml"
Results = dict[str, dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Row:
    """One aim with what was measured and the outcome."""

    aim: str
    measured: str
    status: str

    def as_list(self) -> list[str]:
        return [self.aim, self.measured, self.status]


class NotMeasured(Exception):
    """A result file, a key or a number the aim needs is not there."""


def load_aims(path: Path = AIMS_FILE) -> list[dict[str, Any]]:
    """The aims, in the file's order."""
    with path.open("rb") as handle:
        aims: list[dict[str, Any]] = tomllib.load(handle)["aims"]
    return aims


def results_used(aim: dict[str, Any]) -> set[str]:
    """The result files an aim reads."""
    return {check["result"] for check in [*aim["checks"], *aim.get("where", [])]}


def evaluate(aims: Sequence[dict[str, Any]], results: Results) -> list[Row]:
    """Every aim as a row: aim, measured, pass / short / not comparable / not measured."""
    return [_row(aim, results) for aim in aims]


def _row(aim: dict[str, Any], results: Results) -> Row:
    try:
        conditions = [_check(check, results) for check in aim.get("where", [])]
        outcomes = [_check(check, results) for check in aim["checks"]]
    except NotMeasured as missing:
        return Row(aim["aim"], f"not measured: {missing}", "not measured")
    unmet = [text for met, text in conditions if not met]
    measured = "; ".join(text for _, text in outcomes)
    if unmet:
        return Row(aim["aim"], f"{measured} (run: {'; '.join(unmet)})", "not comparable")
    return Row(aim["aim"], measured, "pass" if all(met for met, _ in outcomes) else "short")


def _check(check: dict[str, Any], results: Results) -> tuple[bool, str]:
    """Whether one check is met, and its figure as text."""
    name = check["result"]
    data = results.get(name)
    if data is None:
        raise NotMeasured(f"no bench/results/{name}.json")
    keys = check["key"] if isinstance(check["key"], list) else [check["key"]]
    values = _first_found(data, name, keys)
    if "over" in check:
        (denominator,) = _numbers(_values(data, name, check["over"]), name, check["over"])
        if denominator == 0:
            raise NotMeasured(f"{name}.json {check['over']} is 0")
        values = [value / denominator for value in values]
    at_least, at_most = check.get("at_least"), check.get("at_most")
    reduce = check.get("reduce", "worst")
    if reduce == "max" or (reduce == "worst" and at_least is None):
        value = max(values)
    else:
        value = min(values)
    met = (at_least is None or value >= at_least) and (at_most is None or value <= at_most)
    shown = int(value) if value.is_integer() else value
    text = f"{format_cell(shown)} {check.get('unit', '')}".rstrip()
    if len(values) > 1:
        text += f" ({'worst' if reduce == 'worst' else reduce} of {len(values)})"
    return met, text


def _first_found(data: dict[str, Any], name: str, keys: Sequence[str]) -> list[float]:
    for key in keys[:-1]:
        try:
            return _numbers(_values(data, name, key), name, key)
        except NotMeasured:
            continue
    return _numbers(_values(data, name, keys[-1]), name, keys[-1])


def _values(data: dict[str, Any], name: str, path: str) -> list[Any]:
    """The values at a dotted path, ``*`` standing for every item of a list or mapping."""
    found: list[Any] = [data]
    for step in path.split("."):
        following: list[Any] = []
        for value in found:
            if step == "*" and isinstance(value, dict | list):
                following.extend(value.values() if isinstance(value, dict) else value)
            elif isinstance(value, dict) and step in value:
                following.append(value[step])
            else:
                raise NotMeasured(f"{name}.json has no {path}")
        found = following
    if not found:
        raise NotMeasured(f"{name}.json has no {path} (empty)")
    return found


def _numbers(values: list[Any], name: str, path: str) -> list[float]:
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        raise NotMeasured(f"{name}.json {path} is not a number")
    return [float(value) for value in values]
