"""Candidate fingerprints of one message: findings, name n-grams, street lines, postcodes.

A message costs one keyed hash per distinct token (cached across messages);
n-gram fingerprints are combined from token hashes over numpy arrays.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from crossguard.detect.finding import Finding
from crossguard.detect.mask import mask_middle, mask_name
from crossguard.index import normalize
from crossguard.index.customer_fingerprints import name_pairs
from crossguard.index.fingerprint import Keyer
from crossguard.index.kinds import FINDING_TO_INDEX, IndexKind
from crossguard.message.model import Part

STREET_MAX_TOKENS = 6
_US_ZIP = re.compile(r"^\d{5}$")
_UK_CA_POSTCODE = re.compile(
    r"\b(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|[A-Z]\d[A-Z]\s?\d[A-Z]\d)\b"
)
_LAST4 = re.compile(r"\b(?:ending|ends)\s+(?:in|with)\s+(\d{4})\b", re.IGNORECASE)


@dataclass(slots=True)
class Candidates:
    """Parallel lists: fingerprint, kind, part, position in the part's text, masked rendering."""

    fps: list[int] = field(default_factory=list)
    kinds: list[IndexKind] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)
    masked: list[str] = field(default_factory=list)

    def add(self, fp: int, kind: IndexKind, part: str, position: int, masked: str) -> None:
        self.fps.append(fp)
        self.kinds.append(kind)
        self.parts.append(part)
        self.positions.append(position)
        self.masked.append(masked)

    def extend(self, fps: np.ndarray, kind: IndexKind, part: str,  # type: ignore[type-arg]
               positions: Iterable[int], masked: Iterable[str]) -> None:
        self.fps.extend(int(fp) for fp in fps)
        self.kinds.extend([kind] * len(fps))
        self.parts.extend([part] * len(fps))
        self.positions.extend(positions)
        self.masked.extend(masked)

    def array(self) -> np.ndarray:  # type: ignore[type-arg]
        return np.array(self.fps, dtype=np.uint64)


def from_findings(findings: Iterable[Finding], keyer: Keyer, out: Candidates) -> None:
    """Exact fingerprints of every finding whose kind the index knows."""
    for finding in findings:
        kind = FINDING_TO_INDEX.get(finding.kind)
        if kind is not None:
            out.add(keyer.exact(kind, finding.value), kind, finding.part, finding.start,
                    finding.masked)
        elif finding.kind == "PERSON_NAME":
            for pair in name_pairs(normalize.name_tokens(finding.value)):
                out.add(keyer.sequence(pair, IndexKind.NAME), IndexKind.NAME, finding.part,
                        finding.start, finding.masked)
        elif finding.kind == "POSTAL_ADDRESS":
            street = normalize.street_tokens(finding.value)
            if street:
                out.add(keyer.sequence(street, IndexKind.STREET), IndexKind.STREET,
                        finding.part, finding.start, finding.masked)


def from_text(part: str, text: str, keyer: Keyer, out: Candidates) -> None:
    """Name pairs, street lines and postcodes in ``text``."""
    tokens = normalize.iter_tokens(text)
    if len(tokens) < 2:
        return
    words = [token for token, _, _ in tokens]
    starts = [start for _, start, _ in tokens]
    ends = [end for _, _, end in tokens]
    hashes = keyer.tokens(words)
    _names(part, text, words, starts, ends, hashes, out)
    _streets(part, text, words, starts, ends, hashes, keyer, out)
    _postcodes(part, text, words, starts, keyer, out)


def _names(part: str, text: str, words: Sequence[str], starts: Sequence[int],
           ends: Sequence[int], hashes: np.ndarray, out: Candidates) -> None:  # type: ignore[type-arg]
    count = len(words)
    pairs = Keyer.combine([hashes[:-1], hashes[1:]], IndexKind.NAME)
    out.extend(pairs, IndexKind.NAME, part, starts[:-1],
               (mask_name(text[starts[i] : ends[i + 1]]) for i in range(count - 1)))
    # "Jane Q. Smith": also pair the words around a middle initial.
    skips = [i for i in range(count - 2) if len(words[i + 1]) == 1]
    if skips:
        index = np.array(skips)
        combined = Keyer.combine([hashes[index], hashes[index + 2]], IndexKind.NAME)
        out.extend(combined, IndexKind.NAME, part, (starts[i] for i in skips),
                   (mask_name(text[starts[i] : ends[i + 2]]) for i in skips))


def _streets(part: str, text: str, words: Sequence[str], starts: Sequence[int],
             ends: Sequence[int], hashes: np.ndarray, keyer: Keyer,  # type: ignore[type-arg]
             out: Candidates) -> None:
    numbers = np.array([i for i, word in enumerate(words) if word[:1].isdigit()], dtype=np.int64)
    for length in range(2, STREET_MAX_TOKENS + 1):
        heads = numbers[numbers + length <= len(words)]
        if not len(heads):
            break
        combined = Keyer.combine([hashes[heads + offset] for offset in range(length)],
                                 IndexKind.STREET)
        out.extend(combined, IndexKind.STREET, part, (starts[i] for i in heads),
                   (mask_name(text[starts[i] : ends[i + length - 1]]) for i in heads))


def _postcodes(part: str, text: str, words: Sequence[str], starts: Sequence[int], keyer: Keyer,
               out: Candidates) -> None:
    for word, start in zip(words, starts, strict=True):
        if _US_ZIP.match(word):
            out.add(keyer.exact(IndexKind.POSTCODE, word), IndexKind.POSTCODE, part, start,
                    mask_middle(word, 2, 0))
    for match in _UK_CA_POSTCODE.finditer(text):
        value = normalize.postcode(match.group())
        if value:
            out.add(keyer.exact(IndexKind.POSTCODE, value), IndexKind.POSTCODE, part,
                    match.start(), mask_middle(value, 2, 0))
    for match in _LAST4.finditer(text):
        out.add(keyer.exact(IndexKind.CARD_LAST4, match.group(1)), IndexKind.CARD_LAST4, part,
                match.start(1), "****")


def message_candidates(parts: Sequence[Part], findings: Sequence[Finding], keyer: Keyer
                       ) -> Candidates:
    """All candidate fingerprints of a message: its findings and its parts' text."""
    out = Candidates()
    from_findings(findings, keyer, out)
    for part in parts:
        if part.text:
            from_text(part.path, part.text, keyer, out)
    return out
