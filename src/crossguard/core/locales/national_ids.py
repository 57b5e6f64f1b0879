"""National id numbers per country, validated by python-stdnum (``data/national_ids.toml``).

One compact form serves the index and the detectors, so a number in a message
and the same number in the customer table hash alike: python-stdnum's compact
form, upper-case alphanumerics only, a Swedish personnummer without its century.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from functools import cache
from types import ModuleType

from crossguard.core.locales.data import country, load

_NON_ALNUM = re.compile(r"[^0-9A-Za-z]+")


@dataclass(frozen=True, slots=True)
class NationalId:
    """One national id kind: its finding kind, country, validator and written shape."""

    kind: str
    country: str
    module: ModuleType
    written: re.Pattern[str]
    context: str

    def compact(self, number: str) -> str | None:
        """The fingerprinted form of ``number``, or None when it is not valid."""
        try:
            valid = self.module.validate(number)
        except Exception:  # stdnum raises ValidationError; odd input may raise others
            return None
        value = _NON_ALNUM.sub("", str(valid)).upper()
        if self.kind == "SE_PNR" and len(value) == 12:
            value = value[2:]
        return value


@cache
def kinds() -> dict[str, NationalId]:
    """Every national id kind of the data file, by finding kind."""
    return {
        kind: NationalId(kind, table["country"], importlib.import_module(table["stdnum"]),
                         re.compile(table["written"]), table["context"])
        for kind, table in load("national_ids.toml").items()
    }


def of_countries(codes: tuple[str, ...]) -> list[NationalId]:
    """The national id kinds issued in ``codes``."""
    wanted = {rules.code for code in codes if (rules := country(code)) is not None}
    return [item for item in kinds().values() if item.country in wanted]


def compact(value: str, country_code: str) -> str | None:
    """A customer's national id in the fingerprinted form, read as its country's ids.

    A country without a national id in the data file keeps upper-case alphanumerics
    (US SSN, UK NINO, CA SIN: their detectors produce the same form); a number that
    fails every id of its country is None (dropped, with a reason).
    """
    issued = of_countries((country_code,))
    if not issued:
        return _NON_ALNUM.sub("", value).upper() or None
    for item in issued:
        if (found := item.compact(value)) is not None:
            return found
    return None
