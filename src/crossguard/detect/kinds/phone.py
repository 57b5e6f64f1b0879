"""PHONE: numbers validated by phonenumbers (libphonenumber metadata), value in E.164.

Candidates are digit runs of a plausible length; only those are parsed, never
the whole text, and parse results are kept in a small per-detector cache (a
help desk's own numbers recur in every signature). A number grouped the way
its country writes it, or written near a context word, is more credible than
a bare run of digits.

National numbers are read in each country of ``detect.regions`` (default: the
countries of the customer index); a number valid in several is reported once
per reading, those grouped the way their country writes them first. The
international prefixes ``+``, ``00`` and ``011`` and a trunk prefix written as
``(0)`` after the country code ("+44 (0)20 ...") are read as well, and so is a
slash after the area code ("030/1234567") where a country served writes one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import phonenumbers
from phonenumbers import PhoneNumberFormat

from crossguard.core.finding import Finding
from crossguard.core.locales.data import country
from crossguard.detect.base import Run, Window, digit_runs, make_finding
from crossguard.detect.context import shared
from crossguard.detect.normalize import NormalizedText
from crossguard.detect.settings import DetectSettings

_CONTEXT = frozenset({"phone"})
#: Group sizes of dates (2026-03-02, 03/02/2026, 3.2.26): never a phone.
_DATE_SHAPES = frozenset({(4, 2, 2), (2, 2, 4), (1, 2, 4), (2, 1, 4), (1, 1, 4), (2, 2, 2)})
#: Confidence of a number phonenumbers does not know, found only through a context word.
UNVALIDATED_CONFIDENCE = 0.4
_DIGIT_GROUPS = re.compile(r"\d+")
_MAX_PARSES_PER_RUN = 8
#: International call prefixes written instead of "+" (ITU-T E.164 / national plans).
_EXIT_CODES = ("011", "00")
_CACHE_SIZE = 4096
#: An area code (trunk prefix 0 first), a slash, and the number (grouped or not), as the
#: countries marked ``phone_area_slash`` write it: "030/1234567", "089 / 123 45-67",
#: "01/58858-0", "02/511.18.40". A date ("03/11/2026") continues with a slash: not one.
_SLASHED = re.compile(
    r"(?<![\w/+-])(?<!\d[.,])0\d{1,5}[ \t]?/[ \t]?\d(?:[ \t.-]?\d){3,11}(?![\w/-]|\.\d)")


@dataclass(slots=True)
class _Parsed:
    """What the detector needs from one valid phone number; layouts are read on demand."""

    number: phonenumbers.PhoneNumber
    e164: str
    masked: str
    layouts: dict[int, set[tuple[int, ...]]] = field(default_factory=dict)

    def written_as(self, sizes: tuple[int, ...]) -> bool:
        """True when ``sizes`` are the digit groups of the national or international format."""
        for style in (PhoneNumberFormat.NATIONAL, PhoneNumberFormat.INTERNATIONAL):
            if style not in self.layouts:
                layout = _group_sizes(phonenumbers.format_number(self.number, style))
                self.layouts[style] = {layout, layout[1:]}
            if sizes in self.layouts[style]:
                return True
        return False


def mask_phone(number: phonenumbers.PhoneNumber) -> str:
    """``+12015550199`` -> ``+1 ***-***-0199``."""
    national = phonenumbers.national_significant_number(number)
    hidden = len(national) - 4
    stars = ["*" * min(3, hidden - i) for i in range(0, hidden, 3)]
    return f"+{number.country_code} {'-'.join([*stars, national[-4:]])}"


def _group_sizes(formatted: str) -> tuple[int, ...]:
    return tuple(len(group) for group in _DIGIT_GROUPS.findall(formatted))


@dataclass(frozen=True, slots=True)
class _Region:
    """What the detector needs of one country's numbering plan."""

    code: str
    country_code: int
    #: National numbers this region reads without any prefix rule: built directly,
    #: skipping phonenumbers.parse (the same result, a fraction of the time).
    direct_lengths: frozenset[int]
    no_lead: str
    lengths: frozenset[int]

    @classmethod
    def of(cls, code: str) -> _Region:
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(code)
        lengths = set(range(7, 13))
        direct: frozenset[int] = frozenset()
        country_code, no_lead = 0, "0"
        if metadata is not None and metadata.general_desc is not None:
            lengths = set(metadata.general_desc.possible_length)
            prefix = metadata.national_prefix or ""
            if metadata.national_prefix_for_parsing in (None, prefix) and (
                metadata.national_prefix_transform_rule is None
            ):
                direct = frozenset(lengths)
                country_code = metadata.country_code or 0
                no_lead = "0" + prefix
            lengths |= {length + len(prefix) for length in lengths}
            lengths |= {length + len(str(metadata.country_code)) for length in lengths}
        return cls(code, country_code, direct, no_lead, frozenset(lengths))


class PhoneDetector:
    """Finds phone numbers in digit runs of plausible length."""

    name: str = "phone"
    kinds: tuple[str, ...] = ("PHONE",)

    def __init__(self, settings: DetectSettings) -> None:
        self.regions = [_Region.of(code) for code in settings.region_codes()]
        self.slash_regions = [region for region in self.regions
                              if (rules := country(region.code)) and rules.phone_area_slash]
        self.unvalidated = settings.unvalidated_phones
        self.context = shared()
        self._cache: dict[str, _Parsed | None] = {}
        self._region_table: dict[int, list[tuple[str, re.Pattern[str] | None]]] = {}
        self.national_lengths = frozenset().union(*(r.lengths for r in self.regions))
        #: The exit codes dialled in the regions served (011 in North America, 00 elsewhere).
        self.exit_codes = tuple(code for code in _EXIT_CODES if any(
            (meta := phonenumbers.PhoneMetadata.metadata_for_region(r.code)) is not None
            and meta.international_prefix and re.fullmatch(meta.international_prefix, code)
            for r in self.regions))

    def find(self, text: NormalizedText, part: str) -> Iterator[Finding]:
        body = text.text
        for run in digit_runs(text):
            if run.digit_count < 7 or run.attached:
                continue
            plus_before = run.start > 0 and body[run.start - 1] == "+"
            single = len(run.groups) == 1
            if single and not plus_before and run.digit_count not in self.national_lengths:
                continue
            parses = 0
            taken = -1
            for window in run.windows(body, 7, 15):
                if window.start < taken or parses >= _MAX_PARSES_PER_RUN:
                    continue
                if plus_before and window.start != run.start:
                    break  # "+7 201 ...": the tail of an international number is no number
                start = window.start
                if start > 0 and body[start - 1] == "(":
                    start -= 1
                plus = start > 0 and body[start - 1] == "+"
                if plus:
                    start -= 1
                elif sum(window.sizes) not in self.national_lengths and not (
                    9 <= sum(window.sizes) <= 18 and window.digits.startswith(self.exit_codes)
                ):
                    continue
                parses += 1
                findings = self._check(text, part, window, start, plus)
                if findings:
                    taken = window.end
                    yield from findings
            if taken < 0 and self.unvalidated:
                fallback = self._unvalidated(text, part, run, plus_before)
                if fallback is not None:
                    yield fallback
        if self.slash_regions and "/" in body:
            yield from self._slashed(text, part)

    def _slashed(self, text: NormalizedText, part: str) -> Iterator[Finding]:
        """Numbers written with a slash after the area code, read in the regions that write
        them so: the slash is how their country groups a number."""
        for match in _SLASHED.finditer(text.text):
            written = match.group()
            if not 7 <= sum(ch.isdigit() for ch in written) <= 15:
                continue
            candidate = " ".join(written.replace("/", " ").split())
            readings = self._national(candidate, self.slash_regions)
            if readings:
                context = self.context.in_sentence(text, _CONTEXT, *match.span())
                for parsed in readings:
                    yield make_finding(text, "PHONE", part, match.span(), parsed.e164,
                                       parsed.masked, 0.9 if context else 0.85)

    def _unvalidated(self, text: NormalizedText, part: str, run: Run, plus_before: bool
                     ) -> Finding | None:
        """A phone-shaped run next to a phone word that phonenumbers does not validate.

        Numbers in mail are often out of date, fictional or foreign ("Mobile:
        0490 39 07 81"): still a phone number to a reader. Low confidence, and
        its value (digits after ``~``) never equals a customer's E.164 number.
        """
        sizes = run.sizes
        if not (7 <= run.digit_count <= 15) or (len(sizes) < 2 and not plus_before):
            return None
        if sizes in _DATE_SHAPES or len(set(text.text[run.start:run.end].replace(" ", ""))) < 3:
            return None
        body = text.text
        start = run.start - 1 if plus_before else run.start
        if start > 0 and body[start - 1] == "(":
            start -= 1
        if body[run.end : run.end + 1] in (":", "/") or body[start - 1 : start] in (":", "/"):
            return None
        if not self.context.in_sentence(text, _CONTEXT, start, run.end):
            return None
        digits = "".join(ch for ch in body[start:run.end] if ch.isdigit())
        masked = ("+" if plus_before else "") + "*" * (len(digits) - 2) + digits[-2:]
        return make_finding(text, "PHONE", part, (start, run.end), "~" + digits, masked,
                            UNVALIDATED_CONFIDENCE)

    def _parse(self, candidate: str, plus: bool, region: _Region | None) -> _Parsed | None:
        """Parse and validate ``candidate`` once per region; remember the answer."""
        key = candidate if region is None else f"{region.code}|{candidate}"
        if key in self._cache:
            return self._cache[key]
        parsed: _Parsed | None = None
        digits = "".join(ch for ch in candidate if ch.isdigit())
        number: phonenumbers.PhoneNumber | None
        if region is not None and len(digits) in region.direct_lengths and (
            digits[0] not in region.no_lead
        ):
            number = phonenumbers.PhoneNumber(
                country_code=region.country_code, national_number=int(digits)
            )
        else:
            try:
                number = phonenumbers.parse(candidate, None if region is None else region.code)
            except phonenumbers.NumberParseException:
                number = None
        if number is not None and self._is_valid(number):
            national = phonenumbers.national_significant_number(number)
            e164 = f"+{number.country_code}{national}"
            parsed = _Parsed(number, e164, mask_phone(number))
        if len(self._cache) >= _CACHE_SIZE:
            self._cache.clear()
        self._cache[key] = parsed
        return parsed

    def _national(self, candidate: str, regions: list[_Region]) -> list[_Parsed]:
        """The valid national readings of ``candidate`` in ``regions``, one per number."""
        found: dict[str, _Parsed] = {}
        for region in regions:
            parsed = self._parse(candidate, False, region)
            if parsed is not None:
                found.setdefault(parsed.e164, parsed)
        return list(found.values())

    def _readings(self, candidate: str, plus: bool, sizes: tuple[int, ...]) -> list[_Parsed]:
        """The valid readings of ``candidate``: international, else one per region.

        When several regions read it, those whose national layout the grouping
        follows are kept (a French "06 12 34 56 78" is not a Dutch "06-12345678").
        """
        digits = "".join(ch for ch in candidate if ch.isdigit())
        if not plus:
            for code in self.exit_codes:
                if digits.startswith(code) and len(digits) - len(code) >= 8:
                    candidate, plus = "+" + candidate.lstrip()[len(code):].lstrip(), True
                    break
        if plus:
            parsed = self._parse(candidate, True, None)
            return [parsed] if parsed is not None else []
        readings = self._national(candidate, self.regions)
        if len(readings) > 1 and len(sizes) > 1:
            laid_out = [parsed for parsed in readings if parsed.written_as(sizes)]
            readings = laid_out or readings
        return readings

    def _is_valid(self, number: phonenumbers.PhoneNumber) -> bool:
        """Valid in one of the regions sharing its country code whose leading digits fit.

        The main region is tried first. This is what ``is_valid_number`` decides,
        without its slow walk over every region for numbers that fit none (an
        unassigned area code costs it ~25 full region checks).
        """
        national = phonenumbers.national_significant_number(number)
        for region, leading in self._regions(number.country_code or 0):
            if leading is not None and not leading.match(national):
                continue
            if phonenumbers.is_valid_number_for_region(number, region):
                return True
        return False

    def _regions(self, country_code: int) -> list[tuple[str, re.Pattern[str] | None]]:
        """Regions of ``country_code``, main first, with their leading-digit patterns."""
        if country_code not in self._region_table:
            regions: list[tuple[str, re.Pattern[str] | None]] = []
            for region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(country_code, ()):
                metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
                leading = metadata.leading_digits if metadata is not None else None
                regions.append((region, re.compile(leading) if leading else None))
            self._region_table[country_code] = regions
        return self._region_table[country_code]

    def _check(
        self, text: NormalizedText, part: str, window: Window, start: int, plus: bool
    ) -> list[Finding]:
        body = text.text
        end = window.end
        if (end < len(body) and body[end] in ":/") or (start > 0 and body[start - 1] in ":/"):
            return []  # a time or a date, not a phone
        sizes = window.sizes
        readings = self._readings(" ".join(body[start:end].split()), plus, sizes)
        if not readings:
            return []
        context = self.context.in_sentence(text, _CONTEXT, start, end)
        international = plus or window.digits.startswith(self.exit_codes)
        found = []
        for parsed in readings:
            if (international and len(sizes) > 1) or (len(sizes) > 1 and parsed.written_as(sizes)):
                confidence = 0.9 if context else 0.85
            elif len(sizes) == 1:
                confidence = 0.7 if context else 0.5
            else:
                confidence = 0.6 if context else 0.25
            found.append(make_finding(text, "PHONE", part, (start, end), parsed.e164,
                                      parsed.masked, confidence))
        return found
