"""PHONE vectors.

Numbers from libphonenumber's documentation and tests (Google's +1 650-253-0000,
+44 20 7946 0958 from Ofcom's drama range, +49 30 123456, fictional
NANP 555-01xx numbers); near misses are invalid NANP area codes, too few
digits, and dates or times that look like digit runs.
"""

# ruff: noqa: RUF001  (look-alike characters are the obfuscation under test)

from __future__ import annotations

from collections.abc import Callable

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crossguard.detect import DetectorSet
from crossguard.detect.settings import DetectSettings

Scan = Callable[..., list[tuple[str, str, str]]]

VALID = [
    ("call (201) 555-0199 today", "(201) 555-0199", "+12015550199"),
    ("Google: +1 650-253-0000.", "+1 650-253-0000", "+16502530000"),
    ("tel 650.253.0000", "650.253.0000", "+16502530000"),
    ("ring 1-650-253-0000 now", "1-650-253-0000", "+16502530000"),
    ("London +44 20 7946 0958", "+44 20 7946 0958", "+442079460958"),
    ("Paris +33 1 42 68 53 00", "+33 1 42 68 53 00", "+33142685300"),
    ("phone: 6502530000", "6502530000", "+16502530000"),
]

INVALID = [
    "area code 123-456-7890 does not exist",
    "short 555-0199 only",
    "meeting 2024-03-15 10:30 in room 4",
    "invoice 12/03/2024 total 1,234.56",
]

OBFUSCATED = [
    ("call ２０１−５５５−０１９９", "２０１−５５５−０１９９", "+12015550199"),
    ("call 201 555\n0199 please", "201 555\n0199", "+12015550199"),
    ("call 201\u200b555\u200b0199", "201\u200b555\u200b0199", "+12015550199"),
]


@pytest.mark.parametrize(("text", "span", "value"), VALID)
def test_valid_phones(scan: Scan, text: str, span: str, value: str) -> None:
    assert scan(text, ("PHONE",)) == [("PHONE", span, value)]


@pytest.mark.parametrize("text", INVALID)
def test_near_misses(scan: Scan, text: str) -> None:
    assert scan(text, ("PHONE",)) == []


@pytest.mark.parametrize(("text", "span", "value"), OBFUSCATED)
def test_obfuscated_phones(scan: Scan, text: str, span: str, value: str) -> None:
    assert scan(text, ("PHONE",)) == [("PHONE", span, value)]


def test_default_region_reads_national_numbers(scan: Scan) -> None:
    text = "ring 020 7946 0958"
    # a US reading finds no valid number: only the unvalidated phone next to "ring"
    assert scan(text, ("PHONE",)) == [("PHONE", "020 7946 0958", "~02079460958")]
    assert scan(text, ("PHONE",), default_region="GB") == [
        ("PHONE", "020 7946 0958", "+442079460958")
    ]


REGIONS = ["US", "GB", "DE", "ES", "FR", "NL", "DK", "IT", "PT", "SE", "BR"]
INTERNATIONAL = [
    ("Rückruf unter 0049 30 901820.", "0049 30 901820", ["+4930901820"]),
    ("call 011 49 30 901820", "011 49 30 901820", ["+4930901820"]),
    ("+44 (0)20 7946 0958", "+44 (0)20 7946 0958", ["+442079460958"]),
    ("ring 020 7946 0958", "020 7946 0958", ["+442079460958"]),
    ("appelez le 01 42 68 53 00", "01 42 68 53 00", ["+33142685300"]),
    ("bel 020 555 1234", "020 555 1234", ["+31205551234"]),  # grouped as the Dutch write it
    ("chiamare 06 6982 1234", "06 6982 1234", ["+390669821234"]),
    ("ligue (11) 91234-5678", "(11) 91234-5678", ["+5511912345678"]),
    ("call (650) 253-0000", "(650) 253-0000", ["+16502530000"]),
    # valid in Spain and Sweden alike, grouped as either writes it: both readings
    ("llame al 612 34 56 78", "612 34 56 78", ["+34612345678", "+46612345678"]),
]


@pytest.mark.parametrize(("text", "span", "values"), INTERNATIONAL)
def test_national_formats_of_the_regions(scan: Scan, text: str, span: str,
                                         values: list[str]) -> None:
    found = scan(text, ("PHONE",), regions=REGIONS)
    assert sorted(found) == [("PHONE", span, value) for value in values]


def test_a_number_of_a_region_not_served_is_not_read(scan: Scan) -> None:
    found = scan("bel 020 555 1234", ("PHONE",), regions=["US", "GB"])
    assert [value for _, _, value in found] == ["~0205551234"]  # a phone, but no one's


def test_masked_and_confidence() -> None:
    detectors = DetectorSet.from_settings(DetectSettings(kinds=["PHONE"]))
    [grouped] = detectors.scan("call me: (201) 555-0199", "1")
    assert grouped.masked == "+1 ***-***-0199"
    assert grouped.confidence == pytest.approx(0.9)
    [bare] = detectors.scan("ref 6502530000", "1")
    assert bare.confidence < grouped.confidence


#: Validated numbers only: these properties compare with phonenumbers' own verdict.
PHONES_ONLY = DetectorSet.from_settings(DetectSettings(kinds=["PHONE"], unvalidated_phones=False))


@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
@settings(max_examples=300, deadline=None)
def test_direct_reading_agrees_with_phonenumbers_parse(digits: str) -> None:
    written = f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    try:
        number = phonenumbers.parse(written, "US")
    except phonenumbers.NumberParseException:
        number = None
    expected = (
        [phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)]
        if number is not None and phonenumbers.is_valid_number(number)
        else []
    )
    assert [finding.value for finding in PHONES_ONLY.scan(f"call {written}", "1")] == expected


@given(
    st.sampled_from(["1", "7", "44", "33", "49", "61", "590", "800"]),
    st.text(alphabet="0123456789", min_size=8, max_size=10),
)
@settings(max_examples=300, deadline=None)
def test_region_walk_agrees_with_is_valid_number(country: str, digits: str) -> None:
    written = f"+{country} {digits[:3]} {digits[3:]}"
    try:
        number = phonenumbers.parse(written, None)
    except phonenumbers.NumberParseException:
        number = None
    expected = (
        [phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)]
        if number is not None and phonenumbers.is_valid_number(number)
        else []
    )
    assert [finding.value for finding in PHONES_ONLY.scan(f"call {written}", "1")] == expected


# Phone numbers phonenumbers does not validate, from Presidio's synth_dataset_v2.json
# (presidio-research, MIT): found only next to a phone word, at low confidence.
UNVALIDATED = [
    ("Mobile: 0490 39 07 81", (8, 21)),
    ("Phone: (99) 645-791", (7, 19)),
    ("Desk: +447700 921 916", (6, 21)),
    ("Fax: 345-899-3560x4587", (5, 17)),
]


@pytest.mark.parametrize(("text", "span"), UNVALIDATED)
def test_unvalidated_numbers_need_a_phone_word(text: str, span: tuple[int, int]) -> None:
    detectors = DetectorSet.from_settings(DetectSettings(kinds=["PHONE"]))
    (finding,) = detectors.scan(text, "1")
    assert (finding.start, finding.end) == span
    assert finding.confidence == pytest.approx(0.4)
    assert finding.value.startswith("~")
    without_word = text.split(":", 1)[1]
    assert detectors.scan(f"Reference{without_word}", "1") == []
    assert PHONES_ONLY.scan(text, "1") == []


def test_dates_are_not_unvalidated_phones() -> None:
    detectors = DetectorSet.from_settings(DetectSettings(kinds=["PHONE"]))
    assert detectors.scan("Call me after 2026-03-02 or 03/02/2026.", "1") == []


SLASHED = [
    ("Tel.030/12345678", "030/12345678", ["+493012345678"], ["DE", "US"]),
    ("Telefon: 089 / 123 45 67", "089 / 123 45 67", ["+49891234567"], ["DE"]),
    ("Handy 0171/1234567.", "0171/1234567", ["+491711234567"], ["DE", "IT"]),
    ("Tel. 01/58858-0", "01/58858-0", ["+431588580"], ["AT"]),
    ("tél. 02/511.18.40", "02/511.18.40", ["+3225111840"], ["BE", "FR"]),
    ("Tel. 044/668 18 00", "044/668 18 00", ["+41446681800"], ["CH"]),
]


@pytest.mark.parametrize(("text", "span", "values", "regions"), SLASHED)
def test_a_slash_after_the_area_code(scan: Scan, text: str, span: str, values: list[str],
                                     regions: list[str]) -> None:
    """Germany, Austria, Switzerland and Belgium write a slash after the area code."""
    assert scan(text, ("PHONE",), regions=regions) == [("PHONE", span, value) for value in values]


@pytest.mark.parametrize("text", [
    "am 03/11/2026 um 10:30", "Stand 01/2024", "Rechnung 2024/0815",
    "siehe https://shop.example.de/a/030123456/b", "Bestellung 12/0123456 vom",
    "Version 1.030/1234567", "Summe 0,030/1234567",
])
def test_slashes_that_are_no_phone(scan: Scan, text: str) -> None:
    assert scan(text, ("PHONE",), regions=["DE", "AT"]) == []


def test_a_slash_is_read_only_where_a_country_served_writes_one(scan: Scan) -> None:
    assert scan("Tel. 030/12345678", ("PHONE",), regions=["US", "GB", "FR"]) == []
