"""Message builders for the message tests (stdlib email package only)."""

from __future__ import annotations

from email.message import EmailMessage

from crossguard.message import Message, ParseLimits, Part, parse_message


def mail(body: str = "Hello", **headers: str) -> EmailMessage:
    """A text/plain EmailMessage with the given headers (underscores become dashes)."""
    message = EmailMessage()
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


def parse(message: EmailMessage | bytes, limits: ParseLimits | None = None) -> Message:
    """Parse an EmailMessage (or bytes) with the given or default limits."""
    raw = message if isinstance(message, bytes) else message.as_bytes()
    return parse_message(raw, limits or ParseLimits())


def attach(data: bytes, filename: str, ctype: str, limits: ParseLimits | None = None) -> Message:
    """A message with one attachment of ``data``, parsed."""
    return parse(with_attachment(mail("see attached", From="a@x.test"), data, filename, ctype),
                 limits)


def with_attachment(message: EmailMessage, data: bytes, filename: str,
                    ctype: str) -> EmailMessage:
    """``message`` with ``data`` attached as ``filename`` of type ``ctype``."""
    maintype, subtype = ctype.split("/")
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message


def paths(message: Message) -> list[str]:
    """The provenance paths of a parsed message's parts."""
    return [part.path for part in message.parts]


def part(message: Message, path: str) -> Part:
    """The part at ``path``."""
    found = [p for p in message.parts if p.path == path]
    assert found, f"no part {path!r} in {paths(message)}"
    return found[0]


def note_kinds(message: Message) -> set[str]:
    """The kinds of a parsed message's notes."""
    return {note.kind for note in message.notes}
