"""Dates as people write them, read into ISO 8601 ``yyyy-mm-dd`` (dates of birth).

All-numeric dates are read in a country's order (``DMY`` most countries, ``MDY``
the US, ``YMD`` ISO and Japan; a four-digit year first is always YMD). Month
names and abbreviations come from ``crossguard/data/months.toml`` (en, es, de,
fr, it, nl, pt, da, sv, pl, no, cs), matched case- and accent-insensitively: "1. April 1970",
"7 de noviembre de 1985", "3 maart 1975", "1er août 1970", "15 stycznia 1983".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from crossguard.core.locales.data import DateOrder, load
from crossguard.core.locales.text import alternation, fold_same_length


def _months() -> dict[str, int]:
    names: dict[str, int] = {}
    for months in load("months.toml").values():
        for number, spellings in enumerate(months, start=1):
            for name in spellings:
                names[name] = number
                names[fold_same_length(name)] = number
    return names


_MONTHS = _months()
_MONTH = alternation(_MONTHS)
_ORD = r"(?:st|nd|rd|th|er|e|º|°|\.)?"
DATE = re.compile(
    rf"(?<![\w/.-])(?:"
    rf"(?P<iy>\d{{4}})[-/.](?P<im>\d{{1,2}})[-/.](?P<id>\d{{1,2}})"
    rf"|(?P<a>\d{{1,2}})(?P<sep>[-/.])(?P<b>\d{{1,2}})(?P=sep)(?P<y>\d{{4}}|\d{{2}})"
    rf"|(?P<dd>\d{{1,2}}){_ORD}\s*(?:of\s+|de\s+|-)?(?P<dm>{_MONTH})\.?,?\s*(?:de\s+|-)?"
    rf"(?P<dy>\d{{4}})"
    rf"|(?P<mm>{_MONTH})\.?\s+(?P<md>\d{{1,2}}){_ORD},?\s+(?P<my>\d{{4}})"
    rf")(?![\w/-])",
    re.IGNORECASE,
)


def _year(text: str, today: dt.date) -> int:
    year = int(text)
    if len(text) == 2:
        year += 1900 if year > today.year % 100 else 2000
    return year


def _month(name: str) -> int:
    return _MONTHS.get(name.lower()) or _MONTHS[fold_same_length(name)]


def readings(match: re.Match[str], orders: Iterable[DateOrder], today: dt.date) -> list[str]:
    """The ISO forms of a :data:`DATE` match, one per distinct reading in ``orders``.

    A day above 12 settles the order; a date that is no real past date is no reading.
    """
    groups = match.groupdict()
    found: list[str] = []
    try:
        if groups["iy"]:
            candidates = [(int(groups["iy"]), int(groups["im"]), int(groups["id"]))]
        elif groups["a"]:
            first, second, year = int(groups["a"]), int(groups["b"]), _year(groups["y"], today)
            day_first = {order != "MDY" for order in orders}
            if first > 12 >= second:
                day_first = {True}
            elif second > 12 >= first:
                day_first = {False}
            candidates = [(year, second, first) if flag else (year, first, second)
                          for flag in sorted(day_first, reverse=True)]
        elif groups["dd"]:
            candidates = [(int(groups["dy"]), _month(groups["dm"]), int(groups["dd"]))]
        else:
            candidates = [(int(groups["my"]), _month(groups["mm"]), int(groups["md"]))]
    except KeyError:
        return found
    for year, month, day in candidates:
        try:
            date = dt.date(year, month, day)
        except ValueError:
            continue
        if dt.date(1900, 1, 1) <= date <= today and date.isoformat() not in found:
            found.append(date.isoformat())
    return found


def read_date(value: str, order: DateOrder, today: dt.date | None = None) -> str | None:
    """The ISO form of a whole ``value`` written as a date in ``order``, else None."""
    match = DATE.fullmatch(value.strip())
    if match is None:
        return None
    found = readings(match, (order,), today or dt.date.today())
    return found[0] if found else None


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
