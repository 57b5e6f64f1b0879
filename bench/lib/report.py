"""docs/benchmarks.md from bench/results/*.json: one section per result file.

The comparison results (speed, accuracy, mime_corpus, scale) have their own
renderers; every other benchmark's JSON is rendered generically (scalars as
a key/value table, nested mappings as row tables).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lib.tables import format_cell, markdown_table

Renderer = Callable[[dict[str, Any]], list[str]]
SKIP_KEYS = {"name", "date", "quick", "machine", "crossguard", "written"}


def stamp(result: dict[str, Any]) -> str:
    """The line saying when and how a result was measured."""
    if "quick" not in result:
        return (f"_Result file written {result.get('written', 'at an unknown time')}; the "
                "script records no run mode._")
    mode = "quick run" if result["quick"] else "full run"
    date = result.get("date", "date not recorded")
    machine = result.get("machine")
    load = machine.get("load_average_1m") if isinstance(machine, dict) else None
    cpu = machine.get("cpu") if isinstance(machine, dict) else None
    cpu_text = f" on {cpu}" if cpu else ""
    load_text = f", 1-minute load average {load} on the shared machine" if load is not None else ""
    version = result.get("crossguard")
    version_text = f", crossguard {version}" if version else ""
    return f"_Measured {date}{cpu_text} ({mode}{load_text}{version_text})._"


def _prf(counts: dict[str, Any]) -> str:
    return f"{counts['precision']:.2f} / {counts['recall']:.2f} / {counts['f2']:.2f}"


def render_speed(result: dict[str, Any]) -> list[str]:
    """The speed table and the ratio to Presidio with spaCy."""
    engines = result["engines"]
    rows = [[result["labels"][name], e["messages_per_s"], e["mb_per_s"], e["ms_p50"],
             e["ms_p95"], e["ms_p99"], e["peak_rss_mb"], e["startup_s"],
             ", ".join(format_cell(v) for v in e["per_round_messages_per_s"])]
            for name, e in engines.items()]
    ratios = result["ratio_vs_presidio_spacy"]
    large = result["large_index"]
    return [
        f"{result['messages']:,} customer-care messages ({result['megabytes']} MB, 1-6 KB "
        f"each), {result['rounds']} interleaved round(s); every engine in its own "
        "single-threaded process, warmed up on 20 messages. Large index: "
        f"{large['customers']:,} customers (built by {large['source']}).",
        "",
        markdown_table(["engine", "msg/s", "MB/s", "p50 ms", "p95 ms", "p99 ms",
                        "peak RSS MB", "start-up s", "msg/s per round"], rows),
        "",
        "Throughput relative to Presidio with spaCy, same corpus, same run (all rounds "
        "pooled): "
        + ", ".join(f"{result['labels'][name]} **{ratio}x**" for name, ratio in ratios.items())
        + ". Best round of each engine against Presidio's best round: "
        + ", ".join(f"{result['labels'][name]} **{ratio}x**"
                    for name, ratio in result.get("best_round_ratio_vs_presidio_spacy",
                                                  {}).items())
        + ".",
    ]


def render_accuracy(result: dict[str, Any]) -> list[str]:
    """Per-type P/R/F2, the name/address attribution table, recognizer vector pass rates."""
    synth = result["synth"]
    engines = list(synth["rows"])
    lines = [
        f"`synth_dataset_v2.json`, {synth['texts']} texts; precision / recall / F2, span IoU "
        ">= 0.9, wrong type = false positive (bench/peer/scoring.py).",
        "",
        markdown_table(["entity", *engines], [
            [entity, *(_prf(synth["rows"][e][entity]) for e in engines)]
            for entity in next(iter(synth["rows"].values()))
        ] + [[f"**micro, {t}**", *(_prf(synth["totals"][e][t]) for e in engines)]
             for t in ("common", "all")]),
        "",
        "`common`: the six types both detect by pattern (" + ", ".join(result["common_types"])
        + "). crossguard has no generic PERSON/STREET_ADDRESS detector, so those rows are 0 "
        "for it; DATE_TIME is matched only by crossguard's date-of-birth detector (partial).",
        "",
        "Who found each annotated span of the common types (IoU >= 0.9), crossguard "
        "against Presidio-regex:",
        "",
        markdown_table(["entity", "both", "crossguard only", "Presidio only", "neither"], [
            [entity, *(counts.get(k, 0) for k in ("both", "crossguard only", "presidio only",
                                                  "neither"))]
            for entity, counts in (synth.get("found_by") or {}).items()]),
        "",
        "Mapping (dataset entity <- crossguard kind / Presidio entity):",
        "",
        markdown_table(["dataset entity", "crossguard", "Presidio"], [
            [entity,
             ", ".join(k for k, v in result["mapping"]["crossguard"].items() if v == entity)
             or "customer index only",
             ", ".join(k for k, v in result["mapping"]["presidio"].items() if v == entity)]
            for entity in next(iter(synth["rows"].values()))
        ]),
        "",
        "PERSON and STREET_ADDRESS through the customer index (the dataset's annotated "
        "people loaded as customers; a span counts when a name/street candidate starting "
        "inside it hits the index, or is part of an attribution's evidence):",
        "",
        markdown_table(["entity", "gold spans", "customers", "index-match recall",
                        "attributed recall", "attributed precision"], [
            [entity, a["gold"], a["customers_indexed"], a["matched_recall"],
             a["attributed_recall"], a["attributed_precision"]]
            for entity, a in synth["attribution"].items()]),
        "",
    ]
    vectors = result["vectors"]["files"]
    lines += [
        "Presidio's recognizer test vectors (`recognizer_vectors.json`): pass = exactly the "
        "expected spans; the second figure also lets a *weak* case (Presidio expects only a "
        "low-score match, e.g. an SSN without context) stay silent. Presidio run with its "
        "pattern recognizers (plus the off-by-default ones under test).",
        "",
        markdown_table(["test file", "crossguard kind", "cases", "weak", "crossguard",
                        "Presidio"], [
            [name, f["crossguard_kind"], f["cases"], f["weak"],
             f"{f['crossguard_strict'] / f['cases']:.2f} / "
             f"{f['crossguard_lenient'] / f['cases']:.2f}",
             f"{f['presidio_strict'] / f['cases']:.2f} / {f['presidio_lenient'] / f['cases']:.2f}"]
            for name, f in vectors.items()]),
        "",
    ]
    misses = synth.get("crossguard_misses") or {}
    if misses:
        lines += ["Examples crossguard missed (values shown by shape only: 9 = digit, X = letter):",
                  ""]
        rows = [[entity, m["value_shape"], m["context"][:110],
                 "yes" if m["presidio_regex_found"] else "no"]
                for entity, items in misses.items() for m in items[:4]]
        lines += [markdown_table(["entity", "value shape", "context (masked)",
                                  "Presidio found it"], rows), ""]
    return lines


def render_mime(result: dict[str, Any]) -> list[str]:
    """Per-corpus parse counts."""
    rows = []
    for name, row in result["corpora"].items():
        agreement = row.get("agreement")
        rows.append([name, row["files"], row["parsed"], row["with_notes"], row["refused"],
                     row["uncaught"], row["parts"],
                     f"{agreement['agree']}/{agreement['compared']}" if agreement else "-"])
    totals = result["totals"]
    rows.append(["**total**", totals["files"], totals["parsed"], totals["with_notes"],
                 totals["refused"], totals["uncaught"], totals["parts"], ""])
    return [
        "Every file under `shared/data/mime/` through `parse_message` / `parse_outlook_msg`. "
        "Refused = `MessageParseError` (not a message at all); uncaught = any other "
        "exception. The mime4j expected-output files are not in shared/data, so its messages "
        "are compared with the text/plain bodies Python's `email` package decodes.",
        "",
        markdown_table(["corpus", "files", "parsed", "with notes", "refused", "uncaught",
                        "parts", "agrees with stdlib text"], rows),
    ]


def render_scale(result: dict[str, Any]) -> list[str]:
    """Measured points and the fitted projection."""
    points = result["points"]
    rows = [[p["customers"], p["fingerprints"], p["build_s"], p.get("build_cpu_s"),
             p["rows_per_s"], p["bytes"] / 1e6, p["build_peak_rss_mb"], p["worker_peak_rss_mb"],
             p["lookup_1000_ms_p50"], p["lookup_1000_ms_p99"], p.get("lookup_950_absent_ms_p50"),
             p.get("hits_per_lookup_1000"), p["lookup_1_ms_p50"], p.get("build_load_average_1m")]
            for p in points]
    projected = result["projection"]
    fields = [field for field in ("build_s", "build_cpu_s", "bytes", "build_peak_rss_mb",
                                  "lookup_1000_ms_p50") if field in projected]
    reused = [format_cell(p["customers"]) for p in points if p.get("reused")]
    note = (f" Build figures for {', '.join(reused)} customers were recorded when that index "
            "was built earlier (`--reuse`)." if reused else "")
    carried = set(result.get("carried_from_earlier_run", ()))
    note += "".join(f" The {format_cell(p['customers'])}-customer point is carried over from "
                    f"an earlier run (`--add`; built {p.get('built_at', '?')[:16]})."
                    for p in points if p["customers"] in carried)
    return [
        f"Index builds from generated rows ({result.get('rows', 'bench/lib/rows.py')}) with "
        f"{result['workers']} workers; build s is wall time on the shared machine (load = "
        "1-minute load average at the end of the build), build CPU s the reader's and the "
        "workers' CPU time. Lookup = one vectorized call for a message's worth of "
        "fingerprints: 1,000 distinct values, 50 of them stored values (each distinct value "
        "equally likely) and 950 random absent ones; also the 950 absent ones alone. Index "
        "warm in the page cache." + note,
        "",
        markdown_table(["customers", "fingerprints", "build s", "build CPU s", "rows/s",
                        "size MB", "build RSS MB", "worker RSS MB", "lookup 1k p50 ms",
                        "p99 ms", "950 absent p50 ms", "hits per 1k", "lookup 1 ms", "load"],
                       rows),
        "",
        f"Projected to {projected['customers']:,} customers: "
        + "; ".join(f"{field} = {format_cell(projected[field])} (fit "
                    f"{projected.get(f'{field}_fit')})" for field in fields)
        + ". Build time, CPU and size are power-law fits, peak RSS a + b n (a fixed "
        "interpreter baseline plus a cost per customer), lookup latency a + b log2 n. "
        "`hits per 1k`: index entries returned for the 50 present values; every owner of a "
        "shared value (a date of birth, a postcode, a card ending) is one hit, and each hit "
        "costs Python work, so the 1k lookup minus the absent-only one is mostly hit cost.",
    ]


def render_generic(result: dict[str, Any]) -> list[str]:
    """Scalars as key/value rows; nested mappings of mappings as row tables."""
    scalars = [[key, value] for key, value in result.items()
               if key not in SKIP_KEYS and not isinstance(value, dict | list)]
    lines = [markdown_table(["measure", "value"], scalars), ""] if scalars else []
    for key, value in result.items():
        if key in SKIP_KEYS or not isinstance(value, dict) or not value:
            continue
        if all(isinstance(item, dict) for item in value.values()):
            columns = sorted({c for item in value.values() for c in item
                              if not isinstance(item[c], dict | list)})
            rows = [[name, *(item.get(c) for c in columns)] for name, item in value.items()]
            lines += [f"`{key}`:", "", markdown_table([key, *columns], rows), ""]
        else:
            rows = [[name, item] for name, item in value.items()
                    if not isinstance(item, dict | list)]
            if rows:
                lines += [f"`{key}`:", "", markdown_table([key, "value"], rows), ""]
    return lines


MODE_TITLES = {"campaign": "campaign (default)", "sender": "sender (before issue 16)"}


def render_care_day(result: dict[str, Any]) -> list[str]:
    """The outcome per bulk_send mode, and the false holds by rule."""
    sizes = result["sizes"]
    modes = result["modes"]
    rows = [[MODE_TITLES.get(mode, mode), r["replies"], r["false_holds"],
             f"{r['false_hold_rate_pct']:.3f}%", f"{r['leaks_held']}/{r['leaks']}",
             f"{r['campaign_held']}/{r['campaign']}", r["campaign_delivered_before_first_hold"],
             r["messages_per_s"], r["p50_ms"], r["p99_ms"]] for mode, r in modes.items()]
    rule_rows = [[MODE_TITLES.get(mode, mode), rule, count]
                 for mode, r in modes.items()
                 for rule, count in (r["false_holds_by_rule"].items() or [("(none)", 0)])]
    checks = ", ".join(f"{name}: {'pass' if ok else 'FAIL'}"
                       for name, ok in result["acceptance"].items())
    return [
        f"{result['agents']} agents answer {result['distinct_customers_answered']:,} distinct "
        f"customers with {sizes['replies']:,} one-to-one replies over {result['hours']} "
        f"simulated hours (clock injected), {result['shared_address_share']:.0%} of them from "
        "one shared care address, each quoting the customer's own order ids, a marketplace "
        "order number, IMEI and serial number, UPS/USPS/FedEx tracking numbers, address, "
        "phone and card last four, with the customer's message quoted. Among them: "
        f"{sizes['leaks']} real leaks (another customer's phone and address, order id and "
        "IMEI, card number, licence number, or a forwarded message) and one ID-request "
        f"campaign, a mail merge from the shared address to {sizes['campaign']:,} customers. "
        f"Index of {sizes['customers']:,} customers; default configuration; the same day "
        "checked with `bulk_send` in each mode (in-process counter). "
        "\"Campaign sent before hold\" is how many copies went out before the first was "
        "held (each with a `sensitive_request` warning).",
        "",
        markdown_table(["bulk_send", "replies", "false holds", "rate", "leaks held",
                        "campaign held", "campaign sent before hold", "msg/s", "p50 ms",
                        "p99 ms"], rows),
        "",
        "False holds of ordinary replies, by rule:",
        "",
        markdown_table(["bulk_send", "rule", "replies held"], rule_rows),
        "",
        f"Acceptance (campaign mode): {checks}.",
    ]


def render_fields_cost(result: dict[str, Any]) -> list[str]:
    """Guard.check with and without reading the fields outside body parts (issue 21)."""
    fields = result.get("fields_cost") or {}
    if not fields:
        return render_generic(result)
    rows = [["body parts only (before)", fields["before_messages_per_s"],
             fields["cpu_ms_per_message_before"]],
            ["every field (after)", fields["after_messages_per_s"],
             fields["cpu_ms_per_message_after"]]]
    return [
        f"{result['messages']:,} customer-care messages, {result['rounds']} interleaved rounds, "
        f"one process per engine and round; 1-minute load {fields['load']}.", "",
        markdown_table(["Guard.check", "msg/s (wall)", "CPU ms/message"], rows), "",
        f"Reading every header field, display name, file name and property costs "
        f"**{fields['cost_pct']}%** of throughput in wall time (per round: "
        f"{', '.join(map(str, fields['per_round_cost_pct']))}) and **{fields['cpu_cost_pct']}%** "
        f"in CPU time per message, the steadier figure on a loaded machine.", "",
    ]


def render_evasion(result: dict[str, Any]) -> list[str]:
    """Recall per evasion class for each measured version."""
    labels = result.get("labels", {})
    names = sorted(labels)
    classes = sorted({cls for label in labels.values() for cls in label["recall"]})
    rows = [[cls, *(labels[name]["recall"].get(cls, {}).get("recall", "-") for name in names)]
            for cls in classes]
    sources = "; ".join(f"`{name}`: {labels[name].get('crossguard_source', '?')}"
                        for name in names)
    return [
        f"{result['per_class']} generated cases per class (bench/lib/evasion.py); a hit is the "
        f"right kind and value over the original span. Code measured: {sources}.", "",
        markdown_table(["class", *names], rows), "",
    ]


def render_incident(result: dict[str, Any]) -> list[str]:
    """Throughput per cluster size, CPU per message, scaling efficiency (issue 22)."""
    runs = result["runs"]
    wall, cpu = result["scaling_efficiency_wall"], result["scaling_efficiency_cpu"]
    rows = [[n, r["messages_per_second"], r["messages_per_second_per_process"],
             r["messages_per_second_per_core"], wall.get(n), r["worker_cpu_ms_per_message"],
             r["messages_per_worker_cpu_second"], cpu.get(n), r["coordinator_cpu_ms_per_message"],
             r["load_average_1m"], "yes" if r["matches_ground_truth"] else "NO"]
            for n, r in runs.items()]
    return [
        f"The generated {result['messages']:,}-message incident archive on a local Dask "
        f"cluster of {', '.join(runs)} worker processes (one thread each, batches of "
        f"{result['batch_size']}), {result['cores']} cores. Worker CPU from each worker's "
        "getrusage; coordinator = the process reading the archive and running the scheduler "
        "and client. Wall efficiency msg/s(n) / (n x msg/s(1)); CPU efficiency: each "
        "process's messages per CPU second against 1 process (linear if the cores were there).",
        "",
        markdown_table(["workers", "msg/s", "per process", "per core", "wall eff.",
                        "worker CPU ms/msg", "msg per worker CPU s", "CPU eff.",
                        "coordinator CPU ms/msg", "load", "matches ground truth"], rows),
        "",
        f"Per core: **{format_cell(result['messages_per_second_per_core'])} msg/s** (wall, "
        f"{result['per_core_workers']} workers); "
        f"{format_cell(result['cpu_messages_per_second_per_core'])} messages per CPU second of "
        f"all processes. {result['note']}",
    ]


RENDERERS: dict[str, tuple[str, Renderer]] = {
    "speed": ("Speed against Presidio", render_speed),
    "speed_subset": ("Reading every field: cost in Guard.check (issue 21)", render_fields_cost),
    "accuracy": ("Accuracy against Presidio", render_accuracy),
    "evasion": ("Evasion recall (issue 21)", render_evasion),
    "mime_corpus": ("Parsing robustness", render_mime),
    "scale": ("Index scale curve", render_scale),
    "care_day": ("A care desk's day (bench/care_day.py)", render_care_day),
    "incident": ("Incident scan on Dask (bench/incident.py)", render_incident),
}


def checks(results: dict[str, dict[str, Any]]) -> list[list[Any]]:
    """The issue's acceptance checks, each with the measured figures and pass/fail."""
    rows: list[list[Any]] = []
    speed = results.get("speed")
    if speed and "ratio_vs_presidio_spacy" in speed:
        ratio = speed["ratio_vs_presidio_spacy"].get("cg-guard", 0.0)
        best = speed.get("best_round_ratio_vs_presidio_spacy", {}).get("cg-guard", ratio)
        rows.append(["Guard.check throughput >= 20x Presidio+spaCy (pooled / best round)",
                     f"{ratio}x / {best}x", "pass" if ratio >= 20 else "FAIL"])
    accuracy = results.get("accuracy")
    if accuracy and "synth" in accuracy:
        table = accuracy["synth"]["rows"]
        for entity in ("EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "US_SSN"):
            ours = table["crossguard"][entity]["recall"]
            theirs = max(table[e][entity]["recall"] for e in table if e != "crossguard")
            rows.append([f"{entity} recall >= Presidio's", f"{ours:.3f} vs {theirs:.3f}",
                         "pass" if ours >= theirs else "FAIL"])
        totals = accuracy["synth"]["totals"]
        ours = totals["crossguard"]["common"]["f2"]
        theirs = max(totals[e]["common"]["f2"] for e in totals if e != "crossguard")
        rows.append(["F2 over the common types higher than Presidio's",
                     f"{ours:.3f} vs {theirs:.3f}", "pass" if ours > theirs else "FAIL"])
    mime = results.get("mime_corpus")
    if mime and "totals" in mime:
        uncaught = mime["totals"]["uncaught"]
        rows.append(["no uncaught exception over the MIME corpora", uncaught,
                     "pass" if uncaught == 0 else "FAIL"])
    return rows
