"""Accuracy against Presidio on Presidio's own evaluation material.

1. ``synth_dataset_v2.json`` (1,500 texts): precision, recall and F2 per
   entity type, scored as Presidio's evaluation scores it (bench/peer/scoring.py),
   for crossguard and Presidio (regex-only and spaCy configurations).
   PERSON and STREET_ADDRESS are scored twice for crossguard: generic
   detection (it has no generic name/address detector: 0) and attribution
   with the dataset's people loaded as customers (bench/peer/names.py).
2. ``recognizer_vectors.json``: pass rate per Presidio recognizer test file,
   for the kinds crossguard supports, crossguard against Presidio-regex.
3. A generated evasion corpus (bench/lib/evasion.py): recall per way of hiding
   an identifier (percent-encoding, base64, homoglyphs, comments, breaks,
   right-to-left overrides, a birth date after a name), a hit being the right
   kind and value over the original span. ``--evasion-only --label before``
   with another crossguard on PYTHONPATH records the figures of that version
   (results/evasion.json keeps one entry per label).

    .venv/bin/python bench/accuracy.py [--quick] [--evasion-only [--label L]]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from lib import evasion, results, tables
from peer import names, scoring
from peer.venv import run_presidio

import crossguard
from crossguard.detect import DetectorSet
from crossguard.detect.settings import DetectSettings

PRESIDIO_DATA = results.SHARED_DATA / "presidio"
#: Presidio entity names and crossguard finding kinds, in the dataset's entity names.
CROSSGUARD_TO_DATASET = {
    "EMAIL": "EMAIL_ADDRESS", "PHONE": "PHONE_NUMBER", "CARD": "CREDIT_CARD",
    "IBAN": "IBAN_CODE", "US_SSN": "US_SSN", "DRIVER_LICENCE": "US_DRIVER_LICENSE",
    "DOB": "DATE_TIME",
}
PRESIDIO_TO_DATASET = {
    "EMAIL_ADDRESS": "EMAIL_ADDRESS", "PHONE_NUMBER": "PHONE_NUMBER",
    "CREDIT_CARD": "CREDIT_CARD", "IBAN_CODE": "IBAN_CODE", "US_SSN": "US_SSN",
    "US_DRIVER_LICENSE": "US_DRIVER_LICENSE", "DATE_TIME": "DATE_TIME", "PERSON": "PERSON",
    "LOCATION": "STREET_ADDRESS",
}
#: Types both tools detect with patterns: the acceptance comparison.
COMMON = ("EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "US_SSN",
          "US_DRIVER_LICENSE")
SCORED = (*COMMON, "DATE_TIME", "PERSON", "STREET_ADDRESS")
#: Recognizer test file -> (crossguard kind, Presidio entity, recognizer to enable when off).
VECTOR_FILES: dict[str, tuple[str, str, str]] = {
    "test_email_recognizer.py": ("EMAIL", "EMAIL_ADDRESS", ""),
    "test_phone_recognizer.py": ("PHONE", "PHONE_NUMBER", ""),
    "test_credit_card_recognizer.py": ("CARD", "CREDIT_CARD", ""),
    "test_iban_recognizer.py": ("IBAN", "IBAN_CODE", ""),
    "test_us_ssn_recognizer.py": ("US_SSN", "US_SSN", ""),
    "test_us_driver_license_recognizer.py": ("DRIVER_LICENCE", "US_DRIVER_LICENSE", ""),
    "test_us_passport_recognizer.py": ("PASSPORT", "US_PASSPORT", ""),
    "test_uk_passport_recognizer.py": ("PASSPORT", "UK_PASSPORT", "UkPassportRecognizer"),
    "test_uk_nino_recognizer.py": ("UK_NINO", "UK_NINO", "UkNinoRecognizer"),
    "test_ca_sin_recognizer.py": ("CA_SIN", "CA_SIN", "CaSinRecognizer"),
    "test_ip_recognizer.py": ("IP_ADDRESS", "IP_ADDRESS", ""),
    "test_date_recognizer.py": ("DOB", "DATE_TIME", ""),
}
ENGINES = ("crossguard", "presidio-regex", "presidio-spacy")
MISS_EXAMPLES = 8


def shape(value: str) -> str:
    """A value's shape with every letter and digit hidden: ``(999) 999-9999``."""
    return "".join("9" if c.isdigit() else ("X" if c.isalpha() else c) for c in value)


def masked_text(text: str, spans: list[scoring.Span], focus: tuple[int, int]) -> str:
    """The text around ``focus`` with every annotated value replaced by its shape."""
    out = text
    for start, end, _ in sorted(spans, reverse=True):
        out = out[:start] + shape(out[start:end]) + out[end:]
    return out[max(0, focus[0] - 60): focus[1] + 60].replace("\n", " ")


def synth_dataset(work: Path, quick: bool) -> dict[str, Any]:
    """Score every engine on synth_dataset_v2.json."""
    samples = json.loads((PRESIDIO_DATA / "synth_dataset_v2.json").read_text(encoding="utf-8"))
    if quick:
        samples = samples[:300]
    texts = [sample["full_text"] for sample in samples]
    corpus = work / "synth.json"
    corpus.write_text(json.dumps(texts), encoding="utf-8")
    predictions: dict[str, list[list[scoring.Span]]] = {}
    detectors = DetectorSet.from_settings(DetectSettings())
    predictions["crossguard"] = [
        scoring.mapped(((f.start, f.end, f.kind) for f in detectors.scan(text, "1")),
                       CROSSGUARD_TO_DATASET) for text in texts
    ]
    versions: dict[str, str] = {}
    for config in ("regex", "spacy"):
        result = run_presidio(config, corpus, work / f"synth-{config}.json", "--spans",
                              "--warmup", "5")
        versions = result["versions"]
        predictions[f"presidio-{config}"] = [
            scoring.mapped(spans, PRESIDIO_TO_DATASET) for spans in result["spans"]
        ]
    tallies = {engine: scoring.Tally() for engine in ENGINES}
    misses: dict[str, list[dict[str, Any]]] = defaultdict(list)
    overlap: dict[str, Counter[str]] = defaultdict(Counter)
    for number, sample in enumerate(samples):
        gold_all = [(s["start_position"], s["end_position"], s["entity_type"])
                    for s in sample["spans"]]
        gold = [span for span in gold_all if span[2] in SCORED]
        unscored = [(s, e) for s, e, kind in gold_all if kind not in SCORED]
        for engine in ENGINES:
            tallies[engine].add(gold, predictions[engine][number], unscored)
        _collect_misses(number, sample["full_text"], gold_all, gold, predictions, misses,
                        overlap)
    attribution = names.attribution_scores(samples, detectors)
    rows = {engine: {entity: tallies[engine].counts(entity).as_dict() for entity in SCORED}
            for engine in ENGINES}
    totals = {engine: {"common": tallies[engine].total(COMMON).as_dict(),
                       "all": tallies[engine].total(SCORED).as_dict()} for engine in ENGINES}
    for entity in misses:  # the misses Presidio found first: those are the ones to fix
        misses[entity].sort(key=lambda miss: not miss["presidio_regex_found"])
        del misses[entity][MISS_EXAMPLES:]
    return {"texts": len(samples), "rows": rows, "totals": totals, "attribution": attribution,
            "found_by": {entity: dict(counts) for entity, counts in overlap.items()},
            "crossguard_misses": dict(misses), "presidio_versions": versions}


def _collect_misses(number: int, text: str, gold_all: list[scoring.Span],
                    gold: list[scoring.Span], predictions: dict[str, list[list[scoring.Span]]],
                    misses: dict[str, list[dict[str, Any]]],
                    overlap: dict[str, Counter[str]]) -> None:
    """Common-type spans crossguard missed, masked by shape, with who else found them."""
    for start, end, entity in gold:
        if entity not in COMMON:
            continue
        found = {engine: any(p[2] == entity and scoring.iou((p[0], p[1]), (start, end)) >= 0.9
                             for p in predictions[engine][number]) for engine in ENGINES}
        ours, theirs = found["crossguard"], found["presidio-regex"]
        overlap[entity]["both" if ours and theirs else "crossguard only" if ours
                        else "presidio only" if theirs else "neither"] += 1
        if not ours and len(misses[entity]) < 200:
            near = [p for p in predictions["crossguard"][number]
                    if scoring.iou((p[0], p[1]), (start, end)) > 0]
            misses[entity].append({
                "text_number": number, "value_shape": shape(text[start:end]),
                "context": masked_text(text, gold_all, (start, end)),
                "crossguard_near": [[p[2], round(scoring.iou((p[0], p[1]), (start, end)), 2)]
                                    for p in near],
                "presidio_regex_found": found["presidio-regex"],
                "presidio_spacy_found": found["presidio-spacy"],
            })


def vectors(work: Path) -> dict[str, Any]:
    """Pass rates per recognizer test file, crossguard against Presidio-regex."""
    raw = json.loads((PRESIDIO_DATA / "recognizer_vectors.json").read_text(encoding="utf-8"))
    cases = [case for item in raw if item["file"] in VECTOR_FILES
             if (case := scoring.vector_case(item)) is not None]
    corpus = work / "vectors.json"
    corpus.write_text(json.dumps([{"text": case.text, "entities": [VECTOR_FILES[case.file][1]]}
                                  for case in cases]), encoding="utf-8")
    extra = sorted({spec[2] for spec in VECTOR_FILES.values() if spec[2]})
    presidio = run_presidio("regex", corpus, work / "vectors-out.json", "--spans", "--warmup",
                            "0", "--add-recognizers", ",".join(extra))
    detectors = DetectorSet.from_settings(DetectSettings())
    per_file: dict[str, dict[str, Any]] = {}
    for number, case in enumerate(cases):
        kind, entity, _ = VECTOR_FILES[case.file]
        ours = [(f.start, f.end) for f in detectors.scan(case.text, "1") if f.kind == kind]
        theirs = [(s[0], s[1]) for s in presidio["spans"][number] if s[2] == entity]
        row = per_file.setdefault(case.file, {
            "crossguard_kind": kind, "presidio_entity": entity, "cases": 0, "weak": 0,
            "crossguard_strict": 0, "crossguard_lenient": 0, "presidio_strict": 0,
            "presidio_lenient": 0, "crossguard_failures": [],
        })
        row["cases"] += 1
        row["weak"] += case.weak
        strict, lenient = scoring.vector_passes(case, ours)
        row["crossguard_strict"] += strict
        row["crossguard_lenient"] += lenient
        p_strict, p_lenient = scoring.vector_passes(case, theirs)
        row["presidio_strict"] += p_strict
        row["presidio_lenient"] += p_lenient
        if not lenient and len(row["crossguard_failures"]) < 5:
            row["crossguard_failures"].append({
                "text_shape": shape(case.text)[:120], "expected": list(case.expected),
                "found": sorted(set(ours)), "presidio_passes": p_lenient})
    return {"cases": len(cases), "files": per_file,
            "presidio_supported": presidio["supported_entities"]}


def print_tables(synth: dict[str, Any], vec: dict[str, Any]) -> None:
    """The terminal tables."""
    headers = ["entity", *(f"{e} P/R/F2" for e in ENGINES)]
    rows = []
    for entity in SCORED:
        cells = [entity]
        for engine in ENGINES:
            c = synth["rows"][engine][entity]
            cells.append(f"{c['precision']:.2f}/{c['recall']:.2f}/{c['f2']:.2f}")
        rows.append(cells)
    for total in ("common", "all"):
        cells = [f"micro ({total})"]
        for engine in ENGINES:
            c = synth["totals"][engine][total]
            cells.append(f"{c['precision']:.2f}/{c['recall']:.2f}/{c['f2']:.2f}")
        rows.append(cells)
    tables.print_table(f"synth_dataset_v2.json ({synth['texts']} texts), IoU >= 0.9",
                       headers, rows)
    att = synth["attribution"]
    tables.print_table(
        "PERSON / STREET_ADDRESS through the customer index (dataset people as customers)",
        ["entity", "gold spans", "index match recall", "attributed recall",
         "attributed precision"],
        [[entity, att[entity]["gold"], att[entity]["matched_recall"],
          att[entity]["attributed_recall"], att[entity]["attributed_precision"]]
         for entity in ("PERSON", "STREET_ADDRESS")])
    tables.print_table(
        "Presidio recognizer test vectors: pass rate (strict / weak cases may stay silent)",
        ["file", "kind", "cases", "weak", "crossguard", "presidio-regex"],
        [[name, f["crossguard_kind"], f["cases"], f["weak"],
          f"{f['crossguard_strict'] / f['cases']:.2f} / {f['crossguard_lenient'] / f['cases']:.2f}",
          f"{f['presidio_strict'] / f['cases']:.2f} / {f['presidio_lenient'] / f['cases']:.2f}"]
         for name, f in vec["files"].items()])


def evasion_recall(per_class: int) -> dict[str, Any]:
    """Recall per evasion class: the right kind and value over the original span."""
    detectors = DetectorSet.from_settings(DetectSettings())
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for case in evasion.corpus(per_class):
        totals[case.cls] += 1
        found = {(f.kind, f.start, f.end, f.value) for f in detectors.scan(case.text, "1")}
        hits[case.cls] += (case.kind, *case.span, case.value) in found
    return {cls: {"cases": totals[cls], "hits": hits[cls],
                  "recall": round(hits[cls] / totals[cls], 3)} for cls in totals}


def record_evasion(label: str, per_class: int, quick: bool) -> dict[str, Any]:
    """Measure, merge under ``label`` into results/evasion.json, print the table."""
    recall = evasion_recall(per_class)
    stored = results.load_result("evasion") or {}
    labels = {key: value for key, value in stored.get("labels", {}).items() if key != label}
    source = str(Path(crossguard.__file__).resolve().parents[1])
    labels[label] = {"crossguard_source": source, "recall": recall}
    results.write_result("evasion", {"per_class": per_class, "labels": labels}, quick=quick)
    names = sorted(labels)
    rows = [[cls, *(labels[name]["recall"].get(cls, {}).get("recall", "-") for name in names)]
            for cls in evasion.CLASSES]
    tables.print_table(f"Evasion recall, {per_class} cases a class", ["class", *names], rows)
    return labels


def main() -> None:
    """Run the scorings, print, write bench/results/accuracy.json (and evasion.json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="first 300 dataset texts only")
    parser.add_argument("--evasion-only", action="store_true", help="only the evasion corpus")
    parser.add_argument("--label", default="after", help="label of the evasion figures")
    args = parser.parse_args()
    per_class = 50 if args.quick else 200
    record_evasion(args.label, per_class, args.quick)
    if args.evasion_only:
        return
    with tempfile.TemporaryDirectory(prefix="cg-accuracy-") as folder:
        work = Path(folder)
        synth = synth_dataset(work, args.quick)
        vec = vectors(work)
    print_tables(synth, vec)
    results.write_result("accuracy", {
        "mapping": {"crossguard": CROSSGUARD_TO_DATASET, "presidio": PRESIDIO_TO_DATASET},
        "common_types": list(COMMON), "synth": synth, "vectors": vec,
    }, quick=args.quick)


if __name__ == "__main__":
    main()
