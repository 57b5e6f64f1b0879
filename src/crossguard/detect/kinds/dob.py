"""DOB: dates of birth, in a sentence or label with a birth context word; value ISO ``yyyy-mm-dd``.

Context words come from the per-language data files; an all-numeric
date is read in every order the countries in use write dates (``07/11/1985``
gives two findings, one per reading, when both DMY and MDY countries are served).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from crossguard.core.finding import Finding
from crossguard.core.locales.data import DateOrder, country
from crossguard.core.locales.dates import DATE, mask_date, readings
from crossguard.detect.base import make_finding
from crossguard.detect.context import sentence, shared
from crossguard.detect.normalize import NormalizedText
from crossguard.detect.settings import DetectSettings

_KINDS = frozenset({"dob"})


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
