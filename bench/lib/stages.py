"""Where Guard.check's time goes, by stage: a cProfile summarized through a module map.

Each profiled function's own time (cProfile ``tottime``) goes to the stage of
its module (:data:`STAGES`, first match wins). Code of no stage (the standard
library, numpy, regex methods, phonenumbers, the shared ``crossguard.core``
helpers) is charged to its callers in
proportion to the time each call edge took, up the call graph, until a
function of a stage is reached: ``re.Pattern.search`` called by a detector is
detection, ``np.unique`` called by the index lookup is lookup, the stdlib
``email`` package called by ``message.parse`` is parsing.
"""

from __future__ import annotations

import pstats
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

#: (path fragment, function name or "" for any, stage), first match wins.
STAGES: tuple[tuple[str, str, str], ...] = (
    ("/crossguard/index/candidates.py", "mask", "scoring"),
    ("/crossguard/index/candidates.py", "span", "scoring"),
    ("/crossguard/index/candidates.py", "token_bounds", "scoring"),
    ("/crossguard/index/candidates.py", "", "candidates"),
    ("/crossguard/index/fingerprint.py", "", "candidates"),
    ("/crossguard/index/normalize.py", "", "candidates"),
    ("/crossguard/index/customer_fingerprints.py", "", "candidates"),
    ("/crossguard/index/customer_index.py", "", "lookup"),
    ("/crossguard/index/segment.py", "", "lookup"),
    ("/crossguard/index/attribute.py", "", "scoring"),
    ("/crossguard/core/attribution.py", "", "scoring"),
    ("/crossguard/message/fields.py", "", "extract"),
    ("/crossguard/message/extract/", "", "extract"),
    ("/crossguard/message/images/", "", "extract"),
    ("/crossguard/message/dispatch.py", "", "extract"),
    ("/crossguard/message/context.py", "", "extract"),
    ("/crossguard/message/", "", "parse"),
    ("/crossguard/detect/", "", "detect"),
    ("/crossguard/core/ids.py", "", "detect"),
    ("/crossguard/policy/", "", "policy"),
    ("/crossguard/scan.py", "shown_field", "policy"),
    ("/crossguard/scan.py", "", "pipeline"),
)
ORDER = ("parse", "extract", "detect", "candidates", "lookup", "scoring", "policy", "pipeline",
         "other")
"""Stages in pipeline order; ``other`` is time no stage's code asked for (the profiler's,
the benchmark loop's)."""

Func = tuple[str, int, str]


def stage_of(func: Func) -> str | None:
    """The stage of one profiled function, None when its module belongs to none."""
    filename, _, name = func
    for fragment, function, stage in STAGES:
        if fragment in filename and (not function or name == function):
            return stage
    return None


def by_stage(stats: pstats.Stats) -> dict[str, Any]:
    """Seconds per stage, and each stage's costliest functions (own time, charged up)."""
    raw: Mapping[Func, tuple[int, int, float, float, Mapping[Func, tuple[Any, ...]]]] = (
        stats.stats)  # type: ignore[attr-defined]
    shares: dict[Func, dict[str, float]] = {}

    def share(func: Func, visiting: frozenset[Func]) -> dict[str, float]:
        """What fraction of ``func``'s own time each stage is charged."""
        if func in shares:
            return shares[func]
        stage = stage_of(func)
        if stage is not None:
            return {stage: 1.0}
        callers = raw[func][4] if func in raw else {}
        weights = {caller: edge[3] for caller, edge in callers.items()
                   if caller not in visiting and caller in raw}
        total = sum(weights.values())
        if not total:
            result = {"other": 1.0}
        else:
            result = defaultdict(float)
            for caller, weight in weights.items():
                for name, fraction in share(caller, visiting | {func}).items():
                    result[name] += fraction * weight / total
            result = dict(result)
        shares[func] = result  # a cycle's members share what the first one met found
        return result

    seconds: dict[str, float] = defaultdict(float)
    top: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for func, (_, _, own, _, _) in raw.items():
        for stage, fraction in share(func, frozenset()).items():
            seconds[stage] += own * fraction
            top[stage][label(func)] += own * fraction
    total = sum(seconds.values()) or 1.0
    return {
        "total_s": round(total, 4),
        "stages": {
            stage: {
                "seconds": round(seconds[stage], 4),
                "share_pct": round(100 * seconds[stage] / total, 1),
                "top": [[name, round(100 * value / total, 1)] for name, value in
                        sorted(top[stage].items(), key=lambda item: -item[1])[:5]],
            }
            for stage in ORDER if stage in seconds
        },
    }


def label(func: Func) -> str:
    """``module.py:function`` (or the built-in's name) for a table."""
    filename, _, name = func
    if filename == "~":
        return name
    parts = filename.rsplit("/", 2)
    return f"{'/'.join(parts[-2:])}:{name}"
