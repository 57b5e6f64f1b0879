"""Shared helpers for the message tests: the repo root on sys.path, limits, builders."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # tests.corpus holds the shared corpus generators

from crossguard.message import ParseLimits  # noqa: E402


@pytest.fixture
def limits() -> ParseLimits:
    """The default parse limits."""
    return ParseLimits()
