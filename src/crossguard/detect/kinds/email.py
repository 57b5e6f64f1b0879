"""EMAIL: addresses per RFC 5322's dot-atom form (common subset), value lower-cased."""

from __future__ import annotations

import re
from collections.abc import Iterator

from crossguard.core.finding import Finding
from crossguard.core.mask import mask_email
from crossguard.detect.base import make_finding
from crossguard.detect.normalize import NormalizedText
from crossguard.detect.settings import DetectSettings

_LOCAL_END = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-]{1,64}\Z")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
_DOMAIN = re.compile(rf"(?:{_LABEL}\.)+(?:[A-Za-z]{{2,24}}|xn--[A-Za-z0-9\-]{{2,59}})(?![\w\-])")


class EmailDetector:
    """Finds e-mail addresses around each ``@``."""

    name: str = "email"
    kinds: tuple[str, ...] = ("EMAIL",)

    def __init__(self, settings: DetectSettings) -> None:
        self.settings = settings

    def find(self, text: NormalizedText, part: str) -> Iterator[Finding]:
        body = text.text
        at = body.find("@")
        while at != -1:
            local = _LOCAL_END.search(body, max(0, at - 64), at)
            domain = _DOMAIN.match(body, at + 1)
            if local and domain:
                start = local.start()
                while start < at and not body[start].isalnum():  # "--" or "+" ending a line
                    start += 1  # before it (a broken line is joined): no local part starts so
                local_part = body[start:at]
                if local_part and not local_part.endswith(".") and ".." not in local_part:
                    value = f"{local_part}@{domain.group()}".lower()
                    span = (start, domain.end())
                    yield make_finding(text, "EMAIL", part, span, value, mask_email(value), 0.95)
            at = body.find("@", at + 1)
