"""Identity-document image benchmark: recall and time of read_image on generated phone photos.

Generates licence fronts, licence backs (AAMVA PDF417) and passport data pages
of fake people, photographed at several scales, rotations (0, +-3, 90 degrees)
and JPEG qualities with sensor noise, reads each with
:func:`crossguard.message.images.read_image`, and reports per variant whether
the document number and the holder's name were recovered, and ms per image.

* licence number recovered: a DRIVER_LICENCE finding with the right value, or
  the number as a token of the returned text (where the text detectors see it);
* name recovered: a PERSON_NAME finding "first last", or both names as words
  of the returned text;
* passport number recovered: a machine-readable zone in the returned text
  whose check digits all hold and whose number is right.

Prints a table and writes bench/results/images.json.
Run: ``OMP_THREAD_LIMIT=1 .venv/bin/python bench/images.py [--holders N]``.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import time
from collections import defaultdict
from typing import Any

from lib.results import write_result

from crossguard.detect.documents import document_findings
from crossguard.message.images import read_image
from crossguard.message.images.aamva import fold
from crossguard.message.images.mrz import find_zones
from crossguard.message.settings import ImageSettings
from crossguard.synth.idset import Sample, samples


def judge(sample: Sample, text: str, findings: list[Any]) -> tuple[bool, bool]:
    """(document number recovered, name recovered) for one read."""
    holder = sample.holder
    words = set(re.findall(r"[a-z0-9]+", fold(text)))
    tokens = {re.sub(r"[^A-Z0-9]", "", token) for token in text.upper().split()}
    values = {(f.kind, f.value) for f in findings}
    name = ("PERSON_NAME", fold(f"{holder.first} {holder.last}")) in values or {
        fold(holder.first),
        fold(holder.last),
    } <= words
    if sample.document == "passport":
        zones = [z for z in find_zones(text.splitlines()) if z.valid]
        return any(z.number == holder.passport for z in zones), name
    number = ("DRIVER_LICENCE", holder.licence) in values or holder.licence in tokens
    return number, name


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the tesseract runs)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--holders", type=int, default=2, help="fake people per variant")
    args = parser.parse_args()
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    settings = ImageSettings()
    per_variant: dict[str, list[tuple[bool, bool, float, float]]] = defaultdict(list)
    notes: list[str] = []
    for sample in samples(holders=args.holders):
        started, cpu_started = time.perf_counter(), cpu_seconds()
        text, documents = read_image(sample.jpeg, settings, lambda kind, _r: notes.append(kind))
        findings = [f for d in documents for f in document_findings(d, "1/attachment:id.jpg")]
        elapsed = (time.perf_counter() - started) * 1000
        cpu = (cpu_seconds() - cpu_started) * 1000
        number, name = judge(sample, text, findings)
        per_variant[sample.variant].append((number, name, elapsed, cpu))
    rows = []
    print(f"{'variant':42} {'number':>7} {'name':>7} {'ms/img':>8} {'cpu ms':>8}")
    for variant, results in per_variant.items():
        number_rate = sum(r[0] for r in results) / len(results)
        name_rate = sum(r[1] for r in results) / len(results)
        ms = statistics.mean(r[2] for r in results)
        cpu = statistics.mean(r[3] for r in results)
        rows.append(
            {"variant": variant, "number": number_rate, "name": name_rate, "ms": ms, "cpu_ms": cpu}
        )
        print(f"{variant:42} {number_rate:7.0%} {name_rate:7.0%} {ms:8.0f} {cpu:8.0f}")
    summary = {}
    for document in ("licence_front", "licence_back", "passport"):
        mine = [r for r in rows if r["variant"].startswith(document + "/")]
        both = [r for r in mine if r["number"] == 1.0 and r["name"] == 1.0]
        mine_results = [r for v, rs in per_variant.items() if v.startswith(document) for r in rs]
        times = [r[2] for r in mine_results]
        summary[document] = {
            "variants": len(mine),
            "variants_fully_recovered": len(both),
            "recall_variants": len(both) / len(mine),
            "ms_mean": statistics.mean(times),
            "ms_p95": sorted(times)[int(0.95 * (len(times) - 1))],
            "cpu_ms_mean": statistics.mean(r[3] for r in mine_results),
        }
    licences = [r for r in rows if r["variant"].startswith("licence")]
    full = [r for r in licences if r["number"] == 1.0 and r["name"] == 1.0]
    print()
    for document, figures in summary.items():
        print(
            f"{document:14} variants fully recovered {figures['variants_fully_recovered']}"
            f"/{figures['variants']} ({figures['recall_variants']:.1%}),"
            f" mean {figures['ms_mean']:.0f} ms, p95 {figures['ms_p95']:.0f} ms,"
            f" CPU {figures['cpu_ms_mean']:.0f} ms"
        )
    print(
        f"licences (front+back): number and name recovered from {len(full)}/{len(licences)}"
        f" variants ({len(full) / len(licences):.1%}); notes: {sorted(set(notes)) or 'none'}"
    )
    write_result("images", {"holders_per_variant": args.holders,
                            "licence_variant_recall": len(full) / len(licences),
                            "summary": summary, "variants": rows,
                            "notes": sorted(set(notes))}, quick=False)


if __name__ == "__main__":
    main()
