"""Fixtures for detector tests: a factory scanning text with given detect settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from crossguard.core.finding import Finding
from crossguard.detect import DetectorSet
from crossguard.detect.settings import DetectSettings

Found = list[tuple[str, str, str]]


@pytest.fixture(scope="session")
def default_set() -> DetectorSet:
    return DetectorSet.from_settings(DetectSettings())


@pytest.fixture
def scan(default_set: DetectorSet) -> Callable[..., Found]:
    """``scan(text, kinds=..., **settings)`` -> ``[(kind, original span text, value), ...]``."""

    def run(text: str, kinds: tuple[str, ...] = (), **settings: Any) -> Found:
        detectors = (
            DetectorSet.from_settings(DetectSettings(**settings)) if settings else default_set
        )
        findings: list[Finding] = detectors.scan(text, "1")
        return [
            (finding.kind, text[finding.start : finding.end], finding.value)
            for finding in findings
            if not kinds or finding.kind in kinds
        ]

    return run
