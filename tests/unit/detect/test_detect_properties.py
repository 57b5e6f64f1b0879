"""Property tests: spans stay inside the original text; detectors never raise."""

# ruff: noqa: RUF001  (look-alike characters are the obfuscation under test)

from __future__ import annotations

from itertools import pairwise

from hypothesis import example, given, settings
from hypothesis import strategies as st

from crossguard.detect import DetectorSet
from crossguard.detect.normalize import normalize
from crossguard.detect.settings import DetectSettings

DETECTORS = DetectorSet.from_settings(DetectSettings())

# Fragments that exercise the interesting paths: digits and separators,
# obfuscation words, full-width and zero-width characters, MRZ fillers.
FRAGMENTS = st.sampled_from(
    [
        "4111",
        " ",
        "-",
        ".",
        "\n",
        "(",
        ")",
        "+1",
        "@",
        " at ",
        " dot ",
        "[at]",
        "(dot)",
        "\u200b",
        "\u00ad",
        "４",
        "１",
        "\u2013",
        "e\u0301",
        "\ufb01",
        "SSN",
        "DOB ",
        "born ",
        "passport no. ",
        "licence ",
        "DE89",
        "AB",
        "<<",
        "P<UTO",
        "ORD-",
        "12/03/1980",
        "2001:db8::",
        "example",
        "com",
        "0",
        "9",
        "::",
        "İ",
        "ß",
    ]
)
TEXTS = st.one_of(st.text(max_size=300), st.lists(FRAGMENTS, max_size=60).map("".join))


@given(TEXTS, st.integers(min_value=0), st.integers(min_value=0))
@example("00 AT  DOT DOT AA:0", 0, 12)  # a spelled "at" and "dot" sharing a space
@settings(max_examples=300, deadline=None)
def test_span_mapping_lands_inside_original(text: str, a: int, b: int) -> None:
    result = normalize(text)
    size = len(result.text)
    start, end = sorted((a % (size + 1), b % (size + 1)))
    mapped = result.to_original(start, end)
    assert 0 <= mapped[0] <= mapped[1] <= len(text)


@given(TEXTS)
@example("@\n0\n0")  # a token broken over two lines after an "@": once joined only at one
@example("0[AT]+.\ufb00\n0")  # an "@" spelled out: its line break joined in the same pass
@settings(max_examples=200, deadline=None)
def test_normalization_is_idempotent(text: str) -> None:
    once = normalize(text).text
    assert normalize(once).text == once


@given(TEXTS)
@settings(max_examples=300, deadline=None)
def test_detectors_never_raise_and_spans_are_valid(text: str) -> None:
    findings = DETECTORS.scan(text, "1")
    for finding in findings:
        assert 0 <= finding.start < finding.end <= len(text)
        assert finding.masked and finding.value
    ordered = sorted((finding.start, finding.end) for finding in findings)
    assert all(left[1] <= right[0] for left, right in pairwise(ordered))
