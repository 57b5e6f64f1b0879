"""The guard must not become the leak: no raw value in repr, dicts, logs or errors."""

from __future__ import annotations

import json
import logging

import pytest

from crossguard.detect import DetectorSet, Finding
from crossguard.detect.settings import DetectSettings

MESSAGE = (
    "Hi, I'm john.doe@example.com, phone (201) 555-0199, card 4111 1111 1111 1111,\n"
    "IBAN DE89 3704 0044 0532 0130 00, SSN 536-90-4399, SIN 123-456-782,\n"
    "NINO AB 12 34 56 C, date of birth 1980-03-04, Passport No. 987654321,\n"
    "driver's license D1234567, order ORD-12345678, from 203.0.113.7.\n"
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10\n"
)
# Raw values as written and as normalized; each must never leave the detector.
RAW = [
    "john.doe@example.com",
    "(201) 555-0199",
    "+12015550199",
    "2015550199",
    "4111 1111 1111 1111",
    "4111111111111111",
    "DE89370400440532013000",
    "3704 0044 0532",
    "536-90-4399",
    "536904399",
    "123456782",
    "123-456-782",
    "AB123456C",
    "1980-03-04",
    "987654321",
    "D1234567",
    "12345678",
    "203.0.113.7",
    "L898902C3",
    "1974-08-12",
]


@pytest.fixture(scope="module")
def findings() -> list[Finding]:
    return DetectorSet.from_settings(DetectSettings()).scan(MESSAGE, "1")


def test_every_kind_found(findings: list[Finding]) -> None:
    assert {finding.kind for finding in findings} == {
        "EMAIL",
        "PHONE",
        "CARD",
        "IBAN",
        "US_SSN",
        "CA_SIN",
        "UK_NINO",
        "DOB",
        "PASSPORT",
        "DRIVER_LICENCE",
        "ORDER_ID",
        "IP_ADDRESS",
        "PASSPORT_MRZ",
    }


def test_repr_and_dict_hold_no_raw_value(findings: list[Finding]) -> None:
    rendered = repr(findings) + json.dumps([finding.as_dict() for finding in findings])
    leaked = [raw for raw in RAW if raw in rendered]
    assert leaked == []
    assert all(finding.value for finding in findings)  # the value is still there, in memory


def test_masks_hide_most_of_each_value(findings: list[Finding]) -> None:
    for finding in findings:
        hidden = finding.masked.count("*")
        shown = sum(ch.isalnum() for ch in finding.masked)
        assert hidden >= 2, finding.kind
        assert finding.value not in finding.masked, finding.kind
        assert shown <= len(finding.value), finding.kind


def test_debug_logging_holds_no_raw_value(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        found = DetectorSet.from_settings(DetectSettings()).scan(MESSAGE, "2/body")
    assert found
    assert caplog.records, "scan should log its per-kind counts at DEBUG"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "CARD" in logged
    assert [raw for raw in RAW if raw in logged] == []
