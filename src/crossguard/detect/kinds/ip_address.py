"""IP_ADDRESS: IPv4 dotted quads and IPv6 addresses validated by the ipaddress module."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from crossguard.detect.base import digit_runs, make_finding
from crossguard.detect.finding import Finding
from crossguard.detect.normalize import NormalizedText
from crossguard.detect.settings import DetectSettings

_HEX_COLON = frozenset("0123456789abcdefABCDEF:")
_IPV4_SHAPES = tuple(
    (a, b, c, d) for a in (1, 2, 3) for b in (1, 2, 3) for c in (1, 2, 3) for d in (1, 2, 3)
)


def _confidence(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> float:
    return 0.6 if address.is_global else 0.35


class IpAddressDetector:
    """Finds IPv4 addresses among digit runs and IPv6 addresses around colons."""

    name: str = "ip_address"
    kinds: tuple[str, ...] = ("IP_ADDRESS",)

    def __init__(self, settings: DetectSettings) -> None:
        self.settings = settings

    def find(self, text: NormalizedText, part: str) -> Iterator[Finding]:
        body = text.text
        for run in digit_runs(text):
            if len(run.groups) < 4 or run.attached:
                continue
            for sizes in _IPV4_SHAPES:
                for window in run.shaped(body, sizes):
                    if window.gaps[0] == ".":
                        yield from self._v4(text, part, window.start, window.end)
        yield from self._v6(text, part)

    def _v4(self, text: NormalizedText, part: str, start: int, end: int) -> Iterator[Finding]:
        try:
            v4 = ipaddress.IPv4Address(text.text[start:end])
        except ValueError:
            return
        octets = str(v4).split(".")
        masked = f"{octets[0]}.{octets[1]}.*.*"
        yield make_finding(text, "IP_ADDRESS", part, (start, end), str(v4), masked, _confidence(v4))

    def _v6(self, text: NormalizedText, part: str) -> Iterator[Finding]:
        """IPv6 candidates: maximal hex-and-colon stretches around each ``::`` or third colon."""
        body = text.text
        colon = body.find(":")
        while colon != -1:
            start, end = colon, colon
            while start > 0 and body[start - 1] in _HEX_COLON:
                start -= 1
            while end < len(body) and body[end] in _HEX_COLON:
                end += 1
            colon = body.find(":", end)
            candidate = body[start:end]
            if candidate.count(":") < 2 or len(candidate) < 6:
                continue
            if (start > 0 and (body[start - 1].isalnum() or body[start - 1] == ".")) or (
                end < len(body) and body[end].isalnum()
            ):
                continue
            try:
                v6 = ipaddress.IPv6Address(candidate)
            except ValueError:
                continue
            value = v6.compressed
            masked = f"{value.split(':')[0]}:****"
            span = (start, end)
            yield make_finding(text, "IP_ADDRESS", part, span, value, masked, _confidence(v6))
