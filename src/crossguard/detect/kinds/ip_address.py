"""IP_ADDRESS: IPv4 dotted quads and IPv6 addresses validated by the ipaddress module."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from itertools import pairwise

from crossguard.core.finding import Finding
from crossguard.detect.base import digit_runs, make_finding
from crossguard.detect.normalize import NormalizedText
from crossguard.detect.settings import DetectSettings

_HEX_COLON = frozenset("0123456789abcdefABCDEF:")
_HEX_COLON_DOT = _HEX_COLON | {"."}
# Two colons at most four hex digits apart: where every IPv6 text form has a foothold.
_COLON_PAIR = re.compile(r":[0-9A-Fa-f]{0,4}:")


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
            groups = run.groups
            gaps = [body[a[1] : b[0]] for a, b in pairwise(groups)]
            for i in range(len(groups) - 3):
                if gaps[i : i + 3] != [".", ".", "."]:
                    continue
                if (i > 0 and gaps[i - 1] == ".") or (i + 3 < len(gaps) and gaps[i + 3] == "."):
                    continue  # part of a longer dotted number
                if any(end - start > 3 for start, end in groups[i : i + 4]):
                    continue
                yield from self._v4(text, part, groups[i][0], groups[i + 3][1])
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
        """IPv6 candidates: maximal hex-and-colon stretches around two close colons."""
        body = text.text
        reached = 0
        for pair in _COLON_PAIR.finditer(body):
            if pair.start() < reached:
                continue
            start, end = pair.start(), pair.end()
            while start > 0 and body[start - 1] in _HEX_COLON:
                start -= 1
            while end < len(body) and body[end] in _HEX_COLON_DOT:  # dots: ::ffff:192.0.2.1
                end += 1
            while body[end - 1] == ".":
                end -= 1
            reached = end
            candidate = body[start:end]
            if len(candidate) < 3 or not any(ch.isdigit() for ch in candidate):
                continue  # "::" alone, or words such as "a::b"
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
