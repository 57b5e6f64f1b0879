"""Every policy rule has a public reason for senders, and none names data."""

from __future__ import annotations

import re

import pytest

from crossguard.gateway.reasons import FALLBACK, public_reason
from crossguard.policy.rules import RULES


@pytest.mark.parametrize("rule", sorted(RULES))
def test_each_rule_has_a_public_reason(rule: str) -> None:
    reason = public_reason(rule)
    assert reason != FALLBACK
    assert not re.search(r"[@\d]", reason), "no address or number in a public reason"


def test_unknown_rule_gets_the_fallback() -> None:
    assert public_reason("plugin_rule") == FALLBACK
