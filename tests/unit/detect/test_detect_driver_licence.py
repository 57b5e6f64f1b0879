"""DRIVER_LICENCE vectors.

Per-state formats from Presidio's ``us_driver_license_format.yaml`` (after
faker-ruby's driving_license.yml): California ``?#######`` (D1234567),
Florida ``?############``, New Hampshire ``##???#####``, Washington
``???????####*``. Only numbers right after a licence context word count.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from crossguard.detect import DetectorSet

Scan = Callable[..., list[tuple[str, str, str]]]

VALID = [
    ("Driver's license: D1234567", "D1234567", "D1234567"),
    ("driver\u2019s licence number d1234567.", "d1234567", "D1234567"),
    ("DL# 123456789", "123456789", "123456789"),
    ("Florida driving licence S530-4600-4516-2", "S530-4600-4516-2", "S530460045162"),
    ("licence no. 12ABC34567 (NH)", "12ABC34567", "12ABC34567"),
    ("license: DOEJOHN1234*", "DOEJOHN1234*", "DOEJOHN1234"),
]

INVALID = [
    "D1234567 without any context",
    "license: hello world and nothing else",
    "my license expired yesterday",
    "licence 12345",
]


@pytest.mark.parametrize(("text", "span", "value"), VALID)
def test_valid_licences(scan: Scan, text: str, span: str, value: str) -> None:
    assert scan(text, ("DRIVER_LICENCE",)) == [("DRIVER_LICENCE", span, value)]


@pytest.mark.parametrize("text", INVALID)
def test_near_misses(scan: Scan, text: str) -> None:
    assert scan(text, ("DRIVER_LICENCE",)) == []


def test_lower_confidence(default_set: DetectorSet) -> None:
    [finding] = default_set.scan("Driver's license: D1234567", "1")
    assert finding.confidence <= 0.6
    assert finding.masked == "D*****67"
