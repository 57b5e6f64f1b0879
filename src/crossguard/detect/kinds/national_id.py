"""National id numbers of the countries served, validated by python-stdnum.

The kinds, their written shapes and when they need a context word come from
``crossguard/data/national_ids.toml`` (DE_IDNR, ES_DNI, ES_NIE, FR_NIR, IT_CF,
NL_BSN, BE_NN, PT_NIF, PL_PESEL, SE_PNR, DK_CPR, FI_HETU, IE_PPS, BR_CPF). Only
the ids of the countries in ``detect.regions`` (default: the index's countries)
are looked for: a US-only customer base runs none of them. The value is the
compact form of :mod:`crossguard.core.locales.national_ids`, as the index stores it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from crossguard.core.finding import Finding
from crossguard.core.locales.national_ids import kinds, of_countries
from crossguard.core.mask import mask_middle
from crossguard.detect.base import make_finding
from crossguard.detect.context import shared
from crossguard.detect.normalize import NormalizedText
from crossguard.detect.settings import DetectSettings

_CONTEXT = frozenset({"national_id", "id_card"})


class NationalIdDetector:
    """Finds the national ids of the regions served: shape, then the stdnum check."""

    name: str = "national_id"
    kinds: tuple[str, ...] = tuple(kinds())

    def __init__(self, settings: DetectSettings) -> None:
        self.ids = [(item, re.compile(rf"(?<![\w.-])(?:{item.written.pattern})(?![\w-]|\.\d)"))
                    for item in of_countries(settings.region_codes())]
        self.context = shared()

    def find(self, text: NormalizedText, part: str) -> Iterator[Finding]:
        body = text.text
        for item, pattern in self.ids:
            for match in pattern.finditer(body):
                value = item.compact(match.group())
                if value is None:
                    continue
                bare = match.group().isalnum()
                needed = item.context == "always" or (item.context == "plain" and bare)
                context = self.context.in_sentence(text, _CONTEXT, *match.span())
                if needed and not context:
                    continue
                yield make_finding(text, item.kind, part, match.span(), value,
                                   mask_middle(value, 0, 2), 0.95 if context else 0.8)
