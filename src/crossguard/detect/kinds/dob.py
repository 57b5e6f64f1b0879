"""DOB: dates of birth; value ISO ``yyyy-mm-dd``.

A date in a sentence or label with a birth context word (from the
per-language data files); or, with no context word, a date right after a
person's name (two capitalised words, an optional middle initial:
``Terry Walker, 14/03/1985``) that is a plausible birth date (13 to 120 years
ago). An all-numeric date is read in every order the countries in use write
dates (``07/11/1985`` gives two findings, one per reading, when both DMY and
MDY countries are served).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from crossguard.core.finding import Finding
from crossguard.core.locales.data import DateOrder, country
from crossguard.core.locales.dates import DATE, mask_date, readings
from crossguard.detect.base import Run, digit_runs, make_finding
from crossguard.detect.context import sentence, shared
from crossguard.detect.normalize import NormalizedText
from crossguard.detect.settings import DetectSettings

_KINDS = frozenset({"dob"})
_NAME_BEFORE = re.compile(
    r"(?<![\w.])[A-Z][a-z'\u2019-]+[ \t]+(?:[A-Z]\.?[ \t]+)?[A-Z][a-z'\u2019-]+"
    r"[ \t]*[,:(\-]?[ \t]*\Z"
)
_NAME_REACH = 60
_MONTH_REACH = 16  # "14 September " before the year
_MIN_AGE, _MAX_AGE = 13, 120


def date_orders(settings: DetectSettings) -> tuple[DateOrder, ...]:
    """The all-numeric date orders read: the setting, else those of the regions."""
    if settings.date_order is not None:
        return (settings.date_order,)
    orders: list[DateOrder] = []
    for code in settings.region_codes():
        rules = country(code)
        order: DateOrder = rules.date_order if rules else "DMY"
        if order not in orders:
            orders.append(order)
    return tuple(orders)


def _may_hold_date(run: Run) -> bool:
    """False for a run no date can contain: fewer than three groups and no four-digit one."""
    return len(run.groups) >= 3 or 4 in run.sizes


class DobDetector:
    """Finds the first date after each birth context word in its sentence (else before it)."""

    name: str = "dob"
    kinds: tuple[str, ...] = ("DOB",)

    def __init__(self, settings: DetectSettings) -> None:
        self.orders = date_orders(settings)
        self.context = shared()

    def find(self, text: NormalizedText, part: str) -> Iterator[Finding]:
        body = text.text
        taken: set[tuple[int, int]] = set()
        today = dt.date.today()
        for hit in self.context.of_kind(text, _KINDS):
            low, high = sentence(text, hit.start, hit.end)
            date = DATE.search(body, hit.end, high)
            if date is None:
                before = list(DATE.finditer(body, low, hit.start))
                date = before[-1] if before else None
            if date is None or date.span() in taken:
                continue
            if date.end() < len(body) and body[date.end()].isalnum():
                continue
            taken.add(date.span())
            for iso in readings(date, self.orders, today):
                yield make_finding(text, "DOB", part, date.span(), iso, mask_date(iso), 0.85)
        yield from self._after_names(text, part, taken, today)

    def _after_names(self, text: NormalizedText, part: str, taken: set[tuple[int, int]],
                     today: dt.date) -> Iterator[Finding]:
        """Dates shaped like a birth date right after a person's name (no context word).

        Only around the digit runs other detectors share that can hold a date's digits:
        a four-digit year, or three groups (``14.03.90``).
        """
        body = text.text
        after = 0
        for run in digit_runs(text):
            if run.end <= after or not _may_hold_date(run):
                continue
            date = DATE.search(body, max(after, run.start - _MONTH_REACH), run.end + 1)
            if date is None or date.span() in taken or (
                    date.end() < len(body) and body[date.end()].isalnum()):
                continue
            if not _NAME_BEFORE.search(body, max(0, date.start() - _NAME_REACH), date.start()):
                continue
            after = date.end()
            for iso in readings(date, self.orders, today):
                if _MIN_AGE <= today.year - int(iso[:4]) <= _MAX_AGE:
                    yield make_finding(text, "DOB", part, date.span(), iso, mask_date(iso), 0.6)
