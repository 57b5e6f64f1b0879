"""MARKETPLACE_ORDER_ID: marketplace order numbers written 3-7-7 (``114-3941689-8772232``).

Amazon's order-number shape: three, seven and seven digits joined by dashes.
Not sensitive: recognised, the seventeen digits never turn into a card (the
issue-16 false hold was ``301-5859884-4371781`` read as a CARD after "order").
"""

from __future__ import annotations

from collections.abc import Iterator

from crossguard.core.finding import Finding
from crossguard.detect.base import make_finding, shaped_windows
from crossguard.detect.normalize import NormalizedText
from crossguard.detect.settings import DetectSettings


class MarketplaceOrderDetector:
    """Finds 3-7-7 dashed order numbers."""

    name: str = "marketplace_order"
    kinds: tuple[str, ...] = ("MARKETPLACE_ORDER_ID",)

    def __init__(self, settings: DetectSettings) -> None:
        self.settings = settings

    def find(self, text: NormalizedText, part: str) -> Iterator[Finding]:
        for window in shaped_windows(text, (3, 7, 7)):
            if window.gaps != ("-", "-"):
                continue
            digits = window.digits
            masked = f"{digits[:3]}-*******-****{digits[-3:]}"
            yield make_finding(text, "MARKETPLACE_ORDER_ID", part, (window.start, window.end),
                               f"{digits[:3]}-{digits[3:10]}-{digits[10:]}", masked, 0.9)
