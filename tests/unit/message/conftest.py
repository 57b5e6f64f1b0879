"""Shared fixtures for the message tests: the parse limits."""

from __future__ import annotations

import pytest

from crossguard.message import ParseLimits


@pytest.fixture
def limits() -> ParseLimits:
    """The default parse limits."""
    return ParseLimits()
