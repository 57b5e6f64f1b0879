"""DOB: dates of birth, only right after a birth context word; value ISO ``yyyy-mm-dd``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from crossguard.core.finding import Finding
from crossguard.detect.base import context_hits, context_words, make_finding
from crossguard.detect.dates import DATE, mask_date, parse_date
from crossguard.detect.normalize import NormalizedText
from crossguard.detect.settings import DetectSettings

_CONTEXT = context_words(
    "date of birth",
    "dob",
    "d.o.b",
    "d.o.b.",
    "born",
    "born on",
    "birth date",
    "birthdate",
    "birthday",
    "date de naissance",
    "geburtsdatum",
    "fecha de nacimiento",
)
_NEEDLES = ("birth", "dob", "d.o.b", "born", "naissance", "geburtsdatum", "nacimiento")
_REACH = 40


class DobDetector:
    """Finds the first date within a short reach after each birth context word."""

    name: str = "dob"
    kinds: tuple[str, ...] = ("DOB",)

    def __init__(self, settings: DetectSettings) -> None:
        self.day_first = settings.date_order == "DMY"

    def find(self, text: NormalizedText, part: str) -> Iterator[Finding]:
        body = text.text
        after = 0
        for context in context_hits(text, _NEEDLES, _CONTEXT):
            if context.end() < after:
                continue
            # Search a little past the reach so a date is never read cut short.
            date = DATE.search(body, context.end(), min(len(body), context.end() + _REACH + 24))
            if date is None or date.start() > context.end() + _REACH:
                continue
            if date.end() < len(body) and body[date.end()].isalnum():
                continue
            iso = parse_date(date, self.day_first, dt.date.today())
            if iso is None:
                continue
            after = date.end()
            yield make_finding(text, "DOB", part, date.span(), iso, mask_date(iso), 0.85)
