"""DetectorSet: every enabled detector, run over one text, overlaps resolved."""

from __future__ import annotations

import logging
from collections import Counter

from crossguard.core.finding import Finding
from crossguard.core.locales.national_ids import kinds as national_id_kinds
from crossguard.detect.kinds import builtin_registry
from crossguard.detect.normalize import normalize
from crossguard.detect.registry import Detector, Registry
from crossguard.detect.settings import DetectSettings
from crossguard.errors import DetectorError

log = logging.getLogger(__name__)

NATIONAL_ID_KINDS = tuple(national_id_kinds())

#: When findings overlap, the kind listed first wins, then the more confident,
#: then the longer, then the earlier: a checksummed card is not also a phone.
#: Reference numbers (order, tracking, device, barcode) rank above the sensitive number
#: kinds: a number recognised as one of them is not also a card, SSN or licence.
PRIORITY: tuple[str, ...] = (
    "PASSPORT_MRZ",
    "EMAIL",
    "MARKETPLACE_ORDER_ID",
    "TRACKING_NUMBER",
    "IMEI",
    "MEID",
    "SERIAL_NUMBER",
    "PRODUCT_CODE",
    *NATIONAL_ID_KINDS,  # checked by python-stdnum, and in context when ambiguous
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


def _rank(finding: Finding) -> tuple[int, float, int, int]:
    order = _ORDER.get(finding.kind, len(PRIORITY))
    return (order, -finding.confidence, finding.start - finding.end, finding.start)


def _position(finding: Finding) -> tuple[str, int, int]:
    return (finding.part, finding.start, finding.end)


def resolve_overlaps(findings: list[Finding]) -> list[Finding]:
    """Keep the best of overlapping findings; return them in text order.

    Findings are swept in text order into clusters of overlapping spans; only
    within a cluster of two or more is the best-ranked kept first.
    """
    kept: list[Finding] = []
    cluster: list[Finding] = []
    reach = 0
    for finding in sorted(findings, key=_position):
        if cluster and finding.part == cluster[0].part and finding.start < reach:
            cluster.append(finding)
            reach = max(reach, finding.end)
            continue
        kept.extend(_best_of(cluster))
        cluster, reach = [finding], finding.end
    kept.extend(_best_of(cluster))
    return kept


def _alternate(finding: Finding, other: Finding) -> bool:
    """Two readings of the same text (a date in two orders, a phone in two countries)."""
    return (finding.kind == other.kind and finding.start == other.start
            and finding.end == other.end and finding.value != other.value)


def _best_of(cluster: list[Finding]) -> list[Finding]:
    """The findings of one cluster that survive, best rank first taken, in text order."""
    if len(cluster) < 2:
        return cluster
    chosen: list[Finding] = []
    for finding in sorted(cluster, key=_rank):
        if all(finding.end <= other.start or other.end <= finding.start
               or _alternate(finding, other) for other in chosen):
            chosen.append(finding)
    return sorted(chosen, key=_position)


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
