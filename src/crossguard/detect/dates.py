"""Dates as people write them, read into ISO 8601 ``yyyy-mm-dd`` (for DOB findings)."""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th)?"
DATE = re.compile(
    rf"(?<![\w/.-])(?:"
    rf"(?P<iy>\d{{4}})[-/.](?P<im>\d{{1,2}})[-/.](?P<id>\d{{1,2}})"
    rf"|(?P<a>\d{{1,2}})(?P<sep>[-/.])(?P<b>\d{{1,2}})(?P=sep)(?P<y>\d{{4}}|\d{{2}})"
    rf"|(?P<dd>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<dm>{_MONTH})\.?,?\s+(?P<dy>\d{{4}})"
    rf"|(?P<mm>{_MONTH})\.?\s+(?P<md>\d{{1,2}}){_ORD},?\s+(?P<my>\d{{4}})"
    rf")(?![\w/-])",
    re.IGNORECASE,
)


def _year(text: str, today: dt.date) -> int:
    year = int(text)
    if len(text) == 2:
        year += 1900 if year > today.year % 100 else 2000
    return year


def parse_date(match: re.Match[str], day_first: bool, today: dt.date) -> str | None:
    """The ISO form of a :data:`DATE` match, or None when it is no real past date."""
    groups = match.groupdict()
    try:
        if groups["iy"]:
            year, month, day = int(groups["iy"]), int(groups["im"]), int(groups["id"])
        elif groups["a"]:
            first, second = int(groups["a"]), int(groups["b"])
            if first > 12 >= second:
                day_first = True
            elif second > 12 >= first:
                day_first = False
            day, month = (first, second) if day_first else (second, first)
            year = _year(groups["y"], today)
        elif groups["dd"]:
            day, month, year = int(groups["dd"]), _MONTHS[groups["dm"].lower()], int(groups["dy"])
        else:
            day, month, year = int(groups["md"]), _MONTHS[groups["mm"].lower()], int(groups["my"])
        date = dt.date(year, month, day)
    except (ValueError, KeyError):
        return None
    if not dt.date(1900, 1, 1) <= date <= today:
        return None
    return date.isoformat()


def mrz_date(yymmdd: str, today: dt.date) -> str | None:
    """An MRZ birth date ``YYMMDD`` in ISO form (a year ahead of today is last century)."""
    if not yymmdd.isdigit() or len(yymmdd) != 6:
        return None
    try:
        date = dt.date(_year(yymmdd[:2], today), int(yymmdd[2:4]), int(yymmdd[4:]))
    except ValueError:
        return None
    return date.isoformat()


def mask_date(iso: str) -> str:
    """``1974-08-12`` -> ``19**-**-**``."""
    return f"{iso[:2]}**-**-**"
