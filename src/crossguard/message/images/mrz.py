"""ICAO 9303 machine-readable zones in OCR text: find, repair, check.

Formats (ICAO Doc 9303 parts 4-6): TD3 passports, two lines of 44; TD2, two
lines of 36; TD1 cards, three lines of 30. OCR reads the filler ``<`` as
guillemets, ``K`` or lower-case noise and confuses O/0, I/1, S/5, B/8 in
digit fields; repairs are kept only where the check digits agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from crossguard.core.ids.mrz import calc_check_digit

ALPHABET = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")
_INSERTABLE = "<0123456789"
_TO_DIGIT = str.maketrans("OQDUILZSGBT", "00001125687")
_FILLER_LOOKALIKES = str.maketrans(
    {"\u00ab": "<", "\u2039": "<", "\uff1c": "<", "(": "<", "{": "<"}
)


@dataclass(frozen=True, slots=True)
class Zone:
    """A repaired MRZ: its lines, format name, and whether every check digit holds."""

    lines: tuple[str, ...]
    format: str
    valid: bool

    @property
    def number(self) -> str:
        """The document number, fillers removed."""
        raw = self.lines[0][5:14] if self.format == "TD1" else self.lines[1][:9]
        return raw.replace("<", "")


def clean(line: str) -> str:
    """Spaces dropped; filler look-alikes, lower-case noise and stray characters as ``<``."""
    text = line.translate(_FILLER_LOOKALIKES).replace(" ", "")
    return "".join(ch if ch in ALPHABET else "<" for ch in text if ch.isprintable())


def _fit(line: str, length: int) -> str:
    """Cut or pad with filler to exactly ``length``."""
    return line[:length].ljust(length, "<")


def _name_line(line: str) -> str:
    """Repair fillers read as ``K``: runs of two or more when fillers were misread, and the tail."""
    if "KKK" in line or "<" not in line.strip("<K"):
        line = re.sub(r"K{2,}", lambda m: "<" * len(m.group()), line)
    line = re.sub(r"[K<]+$", lambda m: "<" * len(m.group()), line)
    if len(line) > 1 and line[0] in "PIAC" and line[1] == "K":
        line = line[0] + "<" + line[2:]
    return line


def _digits(field: str) -> str:
    return field.translate(_TO_DIGIT)


def _checked(field: str, check: str, numeric: bool) -> tuple[str, str, bool]:
    """A field and its check digit, with look-alike repairs kept only if they check."""
    candidates = [field, _digits(field)]
    candidates += [re.sub(r"K+$", lambda m: "<" * len(m.group()), c) for c in list(candidates)]
    digit = _digits(check)
    for candidate in candidates:
        if calc_check_digit(candidate) == digit:
            return candidate, digit, True
    return (_digits(field) if numeric else field), digit, False


def _fields(line: str, spans: Iterable[tuple[int, int, bool]]) -> tuple[str, bool]:
    """Repair each (start, check position, numeric) field of ``line``; all valid?"""
    chars = list(line)
    valid = True
    for start, check_at, numeric in spans:
        field, digit, ok = _checked(line[start:check_at], line[check_at], numeric)
        chars[start:check_at] = field
        chars[check_at] = digit
        valid = valid and ok
    return "".join(chars), valid


def _two_line_data(data: str, width: int) -> tuple[str, bool]:
    """Repair a TD3/TD2 data line of exactly ``width`` characters; do its checks hold?"""
    data = data[:28] + re.sub(r"K{2,}", lambda m: "<" * len(m.group()), data[28:])
    end = width - 1
    spans = [(0, 9, False), (13, 19, True), (21, 27, True)]
    if width == 44:
        spans.append((28, 42, False))
    data, valid = _fields(data, spans)
    composite = _digits(data[end])
    valid = valid and calc_check_digit(data[0:10] + data[13:20] + data[21:end]) == composite
    valid = valid and _shaped(data[10:13], data[13:19], data[20], data[21:27])
    return data[:end] + composite, valid


def _date(field: str) -> bool:
    """A YYMMDD date with a real month and day."""
    return field.isdigit() and 1 <= int(field[2:4]) <= 12 and 1 <= int(field[4:6]) <= 31


def _shaped(nationality: str, birth: str, sex: str, expiry: str) -> bool:
    """Field shapes a data line must have beyond its check digits."""
    letters = nationality.replace("<", "").isalpha() or nationality == "<<<"
    return letters and sex in "MFX<" and _date(birth) and _date(expiry)


def _realigned(data: str, width: int) -> Iterator[str]:
    """``data`` fitted to ``width``, then with one OCR-inserted or dropped character fixed."""
    yield _fit(data, width)
    if len(data) == width + 1:
        yield from (data[:i] + data[i + 1 :] for i in reversed(range(len(data))))
    elif len(data) == width - 1:
        for index in range(len(data) + 1):
            yield from (data[:index] + char + data[index:] for char in _INSERTABLE)


def _two_line(first: str, second: str, width: int) -> Zone:
    name = _fit(_name_line(first), width)
    best = ""
    for candidate in _realigned(second, width):
        data, valid = _two_line_data(candidate, width)
        if valid:
            return Zone((name, data), "TD3" if width == 44 else "TD2", True)
        best = best or data
    return Zone((name, best), "TD3" if width == 44 else "TD2", False)


def _three_line(first: str, second: str, third: str) -> Zone:
    top, top_ok = _fields(_fit(first, 30), [(5, 14, False)])
    middle, middle_ok = _fields(_fit(second, 30), [(0, 6, True), (8, 14, True)])
    composite = calc_check_digit(top[5:30] + middle[0:7] + middle[8:15] + middle[18:29])
    valid = top_ok and middle_ok and composite == _digits(middle[29])
    valid = valid and _shaped(middle[15:18], middle[0:6], middle[7], middle[8:14])
    middle = middle[:29] + _digits(middle[29])
    return Zone((top, middle, _fit(_name_line(third), 30)), "TD1", valid)


def _looks_like(line: str) -> bool:
    return len(line) >= 26 and (line.count("<") >= 2 or "KK" in line)


_SHAPES: tuple[tuple[int, Callable[[list[str]], Zone]], ...] = (
    (2, lambda ls: _two_line(ls[0], ls[1], 44)),
    (2, lambda ls: _two_line(ls[0], ls[1], 36)),
    (3, lambda ls: _three_line(ls[0], ls[1], ls[2])),
)
_WIDTHS = (44, 36, 30)


def find_zones(lines: Iterable[str]) -> list[Zone]:
    """Every MRZ among consecutive OCR lines, best repair first (valid zones before others)."""
    cleaned = [clean(line) for line in lines if line.strip()]
    zones: list[Zone] = []
    for index in range(len(cleaned)):
        for (count, build), width in zip(_SHAPES, _WIDTHS, strict=True):
            group = cleaned[index : index + count]
            if len(group) < count or not any(_looks_like(line) for line in group):
                continue
            if all(abs(len(line) - width) <= 3 or line.endswith("<") for line in group):
                zone = build(group)
                if zone.valid or _plausible(zone):
                    zones.append(zone)
    zones.sort(key=lambda zone: not zone.valid)
    return zones


def _plausible(zone: Zone) -> bool:
    """An unvalidated zone still shaped like one: document code and a digit-dense data line."""
    first = zone.lines[0]
    data = zone.lines[0] if zone.format == "TD1" else zone.lines[1]
    return first[:1] in "PIAVC" and sum(ch.isdigit() for ch in data) >= 12
