"""Postcodes in each country's format (``data/countries.toml``), in one compact form.

The compact form is upper-case alphanumerics without the country prefix some
people write ("L-1234", "DK-1165"); a US ZIP+4 keeps its ZIP. The index stores
it, and the message side looks for the written forms of the countries served.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from crossguard.core.locales.data import countries, country

_NON_ALNUM = re.compile(r"[^0-9A-Za-z]+")
#: The countries whose postcodes the message side reads from word features alone
#: (US ZIP, UK and Canadian postcodes): see crossguard.index.candidates.
BUILT_IN = frozenset({"US", "GB", "CA"})


def compact(value: str, country_code: str) -> str | None:
    """``value`` as a postcode of ``country_code`` in compact form, or None if not one."""
    rules = country(country_code)
    text = value.strip().upper()
    if rules is not None and rules.strip_prefix and text.startswith(rules.strip_prefix + "-"):
        text = text[len(rules.strip_prefix) + 1 :]
    if rules is not None and rules.code == "US" and re.fullmatch(r"\d{5}-?\d{4}", text):
        text = text[:5]
    compacted = _NON_ALNUM.sub("", text)
    if rules is None:
        return compacted or None
    return compacted if re.fullmatch(rules.postcode, compacted) else None


class PostcodeFinder:
    """Finds the written postcodes of some countries in text (beyond the built-in three)."""

    def __init__(self, regions: tuple[str, ...]) -> None:
        table = countries()
        written = sorted({table[code].postcode_written for code in regions
                          if code in table and code not in BUILT_IN},
                         key=len, reverse=True)  # the longer shape first: "1015 CJ", not "1015"
        self.pattern = (re.compile(rf"(?<![\w-])(?:{'|'.join(written)})(?![\w-])")
                        if written else None)

    def find(self, text: str) -> Iterator[tuple[int, int, str]]:
        """``(start, end, compact)`` of every postcode-shaped run of ``text``."""
        if self.pattern is None:
            return
        for match in self.pattern.finditer(text):
            value = _NON_ALNUM.sub("", match.group()).upper()
            for prefix in ("DK", "SE", "FI", "NO", "CH", "L", "A", "B"):
                if value.startswith(prefix) and not value[: len(prefix) + 1].isalpha():
                    value = value[len(prefix):]
                    break
            yield match.start(), match.end(), value


@cache
def finder(regions: tuple[str, ...]) -> PostcodeFinder:
    """One shared finder per set of regions."""
    return PostcodeFinder(regions)
