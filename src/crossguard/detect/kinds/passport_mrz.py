"""PASSPORT_MRZ: TD3 and TD1 machine-readable zones (ICAO Doc 9303) with valid check digits.

The value is the document number (fillers removed, upper-case); the MRZ's
birth date is reported as a DOB finding too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from itertools import accumulate, compress, count, repeat

from stdnum.exceptions import ValidationError

from crossguard.core.finding import Finding
from crossguard.core.ids import mrz
from crossguard.core.locales.dates import mask_date, mrz_date
from crossguard.core.mask import mask_middle
from crossguard.detect.base import make_finding
from crossguard.detect.normalize import NormalizedText
from crossguard.detect.settings import DetectSettings

_MRZ_CHARS = re.compile(r"[A-Z0-9<]+")
_LINE_LENGTHS = frozenset({30, 44})
_BLANKS = " \t\r"


def _mrz_lines(body: str) -> list[tuple[int, str]]:
    """(offset, line) of each line that is 30 or 44 MRZ characters, blanks around it aside.

    Lines are cut, stripped and measured in C; only lines of those lengths are looked at.
    """
    lines = body.split("\n")
    cores = list(map(str.strip, lines, repeat(_BLANKS)))
    found: list[tuple[int, str]] = []
    ends: list[int] = []
    for index in compress(count(), map(_LINE_LENGTHS.__contains__, map(len, cores))):
        core = cores[index]
        if _MRZ_CHARS.fullmatch(core):
            ends = ends or list(accumulate(len(line) + 1 for line in lines))
            line = lines[index]
            line_start = ends[index - 1] if index else 0
            found.append((line_start + len(line) - len(line.lstrip(_BLANKS)), core))
    return found


class PassportMrzDetector:
    """Finds MRZs line by line: TD3 and TD1 line pairs, and lone TD3 second lines."""

    name: str = "passport_mrz"
    kinds: tuple[str, ...] = ("PASSPORT_MRZ", "DOB")

    def __init__(self, settings: DetectSettings) -> None:
        self.settings = settings

    def find(self, text: NormalizedText, part: str) -> Iterator[Finding]:
        body = text.text
        if "<" not in body:
            return
        lines = _mrz_lines(body)
        used = -1
        for index, (start, line) in enumerate(lines):
            if index <= used:
                continue
            chains: list[list[tuple[int, str]]] = []
            following = lines[index + 1] if index + 1 < len(lines) else None
            if following is not None and len(following[1]) == len(line):
                chains.append([(start, line), following])
            if len(line) == 44:
                chains.append([(-1, "<" * 44), (start, line)])  # a TD3 line 2 on its own
            for chain in chains:
                try:
                    data = mrz.parse(chain[0][1] + chain[1][1])
                except ValidationError:
                    continue
                used = index + (1 if chain[0][0] != -1 else 0)
                yield from self._findings(text, part, chain, data)
                break

    def _findings(
        self, text: NormalizedText, part: str, chain: list[tuple[int, str]], data: mrz.MrzData
    ) -> Iterator[Finding]:
        width = len(chain[-1][1])
        confidence = 0.9 if chain[0][0] == -1 else 0.98
        number_line = chain[data.number_offset // width][0]
        column = data.number_offset % width
        span = (number_line + column, number_line + column + len(data.document_number))
        number = data.document_number
        masked = mask_middle(number, 1, 2)
        yield make_finding(text, "PASSPORT_MRZ", part, span, number, masked, confidence)
        birth = mrz_date(data.birth_date, dt.date.today())
        if birth is not None:
            birth_line = chain[data.birth_offset // width][0]
            column = data.birth_offset % width
            span = (birth_line + column, birth_line + column + 6)
            yield make_finding(text, "DOB", part, span, birth, mask_date(birth), 0.9)
