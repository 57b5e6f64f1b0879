"""The envelope of a check request: bare addresses only, and exactly the one that was checked.

An envelope address is what a held message is released to, so a value that
could smuggle a second SMTP command or address (CR, LF, other control
characters, spaces, angle brackets, commas) is refused with a 400 that names
the parameter, never the value. The OpenAPI document states the same pattern
(``schemas.ADDRESS``); JSON bodies are held to it by their schema (422).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from crossguard.api.schemas import ADDRESS, CheckRequest
from crossguard.message.model import Message
from crossguard.service.errors import BadRequest

_ADDRESS = re.compile(ADDRESS)


def address(name: str, value: str) -> str:
    """``value`` when it is one bare e-mail address, else BadRequest naming ``name``."""
    if not _ADDRESS.fullmatch(value):
        raise BadRequest(f"{name}: not a bare e-mail address (local@domain, with no control "
                         "characters, spaces or angle brackets)")
    return value


def query_envelope(mail_from: str | None, rcpts: Sequence[str]) -> tuple[str | None, list[str]]:
    """The ``mail_from`` and ``rcpt`` query parameters, validated (an empty sender is ``<>``)."""
    sender = address("mail_from", mail_from) if mail_from else mail_from
    return sender, [address("rcpt", rcpt) for rcpt in rcpts]


def json_envelope(request: CheckRequest) -> tuple[str, list[str]]:
    """The envelope a JSON request implies: From, and To + Cc + Bcc (bare by their schema)."""
    return request.from_, [*request.to, *request.cc, *request.bcc]


def checked_recipients(message: Message, rcpts: Sequence[str]) -> list[str]:
    """The recipients the Guard checked: the ``rcpt`` parameters, else To + Cc (validated).

    These are what a hold stores and a release delivers to.
    """
    if rcpts:
        return list(rcpts)
    return [address("rcpt (from To/Cc)", rcpt) for rcpt in message.recipients]
