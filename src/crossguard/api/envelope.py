"""The envelope of a check request: bare addresses only, and exactly the one that was checked.

An envelope address is what a held message is released to, so a value that
could smuggle a second SMTP command or address (CR, LF, other control or
format characters, angle brackets, spaces, commas) is refused with a 400 that
names the parameter, never the value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from email.utils import parseaddr

from crossguard.api.schemas import CheckRequest
from crossguard.message.model import Message
from crossguard.service.errors import BadRequest

#: RFC 5321 limits: a path is at most 256 octets with its brackets, a local part 64.
MAX_ADDRESS = 254
MAX_LOCAL = 64
#: One ``local@domain`` with no character that can break out of a MAIL/RCPT command.
ADDRESS = re.compile(r"[^\s<>()\[\]\\,;:@\"]+@[^\s<>()\[\]\\,;:@\"]+")
#: Unicode categories refused anywhere: controls, format (bidi overrides), separators.
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"})


def address(name: str, value: str) -> str:
    """``value`` when it is one bare e-mail address, else BadRequest naming ``name``."""
    local, _, _domain = value.rpartition("@")
    if (len(value) > MAX_ADDRESS or len(local) > MAX_LOCAL or not ADDRESS.fullmatch(value)
            or any(unicodedata.category(ch) in REFUSED_CATEGORIES for ch in value)):
        raise BadRequest(f"{name}: not a bare e-mail address (local@domain, with no control "
                         "characters, spaces or angle brackets)")
    return value


def query_envelope(mail_from: str | None, rcpts: Sequence[str]) -> tuple[str | None, list[str]]:
    """The ``mail_from`` and ``rcpt`` query parameters, validated (an empty sender is ``<>``)."""
    sender = address("mail_from", mail_from) if mail_from else mail_from
    return sender, [address("rcpt", rcpt) for rcpt in rcpts]


def json_envelope(request: CheckRequest) -> tuple[str, list[str]]:
    """The envelope a JSON request implies: the From address, and To + Cc + Bcc."""
    sender = address("from", parseaddr(request.from_)[1])
    rcpts = [address(f"{name}.{number}", parseaddr(value)[1])
             for name, values in (("to", request.to), ("cc", request.cc), ("bcc", request.bcc))
             for number, value in enumerate(values, start=1)]
    return sender, rcpts


def checked_recipients(message: Message, rcpts: Sequence[str]) -> list[str]:
    """The recipients the Guard checked: the ``rcpt`` parameters, else To + Cc (validated).

    These are what a hold stores and a release delivers to.
    """
    if rcpts:
        return list(rcpts)
    return [address("rcpt (from To/Cc)", rcpt) for rcpt in message.recipients]
