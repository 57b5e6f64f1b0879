"""DOB: dates of birth; value ISO ``yyyy-mm-dd``.

A date within a short reach after a birth context word; or, with no context
word, a date right after a person's name (two capitalised words, an optional
middle initial: ``Terry Walker, 14/03/1985``) that is a plausible birth date
(13 to 120 years ago).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from crossguard.core.finding import Finding
from crossguard.detect.base import context_hits, context_words, digit_runs, make_finding
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
_NAME_BEFORE = re.compile(
    r"(?<![\w.])[A-Z][a-z'\u2019-]+[ \t]+(?:[A-Z]\.?[ \t]+)?[A-Z][a-z'\u2019-]+"
    r"[ \t]*[,:(\-]?[ \t]*\Z"
)
_NAME_REACH = 60
_MONTH_REACH = 16  # "14 September " before the year
_MIN_AGE, _MAX_AGE = 13, 120


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
        yield from self._after_names(text, part, after)

    def _after_names(self, text: NormalizedText, part: str, after: int) -> Iterator[Finding]:
        """Dates shaped like a birth date right after a person's name (no context word).

        Only around the digit runs other detectors share (a four-digit year makes one).
        """
        body = text.text
        today = dt.date.today()
        for run in digit_runs(text):
            if run.end <= after:
                continue
            date = DATE.search(body, max(after, run.start - _MONTH_REACH), run.end + 1)
            if date is None or (date.end() < len(body) and body[date.end()].isalnum()):
                continue
            if not _NAME_BEFORE.search(body, max(0, date.start() - _NAME_REACH), date.start()):
                continue
            after = date.end()
            iso = parse_date(date, self.day_first, today)
            if iso is None or not _MIN_AGE <= today.year - int(iso[:4]) <= _MAX_AGE:
                continue
            yield make_finding(text, "DOB", part, date.span(), iso, mask_date(iso), 0.6)
