"""DetectorSet: every enabled detector, run over one text, overlaps resolved."""

from __future__ import annotations

import logging
from bisect import bisect_left
from collections import Counter

from crossguard.detect.finding import Finding
from crossguard.detect.normalize import normalize
from crossguard.detect.registry import Detector, Registry, builtin_registry
from crossguard.detect.settings import DetectSettings
from crossguard.errors import DetectorError

log = logging.getLogger(__name__)

#: When findings of different kinds overlap, the kind listed first wins, then
#: the more confident, then the longer: a checksummed card is not also a phone.
PRIORITY: tuple[str, ...] = (
    "PASSPORT_MRZ",
    "EMAIL",
    "CARD",
    "IBAN",
    "US_SSN",
    "CA_SIN",
    "UK_NINO",
    "ORDER_ID",
    "PASSPORT",
    "DRIVER_LICENCE",
    "DOB",
    "IP_ADDRESS",
    "PHONE",
)


_ORDER = {kind: index for index, kind in enumerate(PRIORITY)}


def _rank(finding: Finding) -> tuple[int, float, int]:
    order = _ORDER.get(finding.kind, len(PRIORITY))
    return (order, -finding.confidence, finding.start - finding.end)


def resolve_overlaps(findings: list[Finding]) -> list[Finding]:
    """Keep the best of overlapping findings; return them in text order."""
    if len(findings) < 2:
        return list(findings)
    kept: list[Finding] = []
    taken: dict[str, list[tuple[int, int]]] = {}  # per part: sorted, disjoint spans
    for finding in sorted(findings, key=_rank):
        spans = taken.setdefault(finding.part, [])
        index = bisect_left(spans, (finding.start, finding.end))
        if index > 0 and spans[index - 1][1] > finding.start:
            continue
        if index < len(spans) and spans[index][0] < finding.end:
            continue
        spans.insert(index, (finding.start, finding.end))
        kept.append(finding)
    kept.sort(key=lambda finding: (finding.part, finding.start, finding.end))
    return kept


class DetectorSet:
    """The detectors one front end runs, built once from settings."""

    def __init__(self, detectors: list[Detector], settings: DetectSettings) -> None:
        self.settings = settings
        wanted = set(settings.kinds)
        offered = {kind for detector in detectors for kind in detector.kinds}
        self.kinds = frozenset(kind for kind in offered if not wanted or kind in wanted)
        self.detectors = [d for d in detectors if self.kinds.intersection(d.kinds)]

    @classmethod
    def from_settings(
        cls, settings: DetectSettings, registry: Registry | None = None
    ) -> DetectorSet:
        """Build the set from ``registry`` (default: the built-in detectors only)."""
        chosen = registry if registry is not None else builtin_registry()
        return cls(chosen.build(settings), settings)

    def scan(self, text: str, part: str = "") -> list[Finding]:
        """Every identifier in ``text`` (spans of ``text`` itself), overlaps resolved."""
        normalized = normalize(text)
        found: list[Finding] = []
        floor = self.settings.min_confidence
        for detector in self.detectors:
            try:
                for finding in detector.find(normalized, part):
                    if finding.kind in self.kinds and finding.confidence >= floor:
                        found.append(finding)
            except DetectorError:
                raise
            except Exception as error:
                # The original exception may quote the text: never chain or log it.
                raise DetectorError(
                    f"detector {detector.name!r} failed on part {part!r} ({type(error).__name__})"
                ) from None
        kept = resolve_overlaps(found)
        if kept and log.isEnabledFor(logging.DEBUG):
            counts = Counter(finding.kind for finding in kept)
            log.debug("part %r: %s", part, dict(sorted(counts.items())))
        return kept
