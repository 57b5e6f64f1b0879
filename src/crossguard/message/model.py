"""The parsed form of one mail message: parties, parts and parse notes."""

from __future__ import annotations

from dataclasses import dataclass, field

from crossguard.core.documents import IdDocument


@dataclass(frozen=True, slots=True)
class ParseNote:
    """A problem met while reading a message: never fatal, never silent.

    ``kind`` is a stable short name (``limit_depth``, ``bad_base64``,
    ``unknown_charset``, ``zip_bomb``, ``unreadable_pdf``, ...); ``part`` is the
    provenance path of the part concerned ("" for the whole message).
    """

    kind: str
    part: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "part": self.part, "reason": self.reason}


@dataclass(slots=True)
class Part:
    """One leaf of the message tree, with the text extracted from it.

    ``path`` is the provenance path, e.g. ``1`` for the first body part,
    ``2/attachment:id.pdf`` for an attachment, ``2/attachment:a.zip/b.docx``
    for a member of an archive; a file name in a path is the masked rendering
    (identifiers found in it masked), the raw name is the text of the field
    part ``<path>/filename``. ``documents`` holds the identity documents an
    image reader recognised (an AAMVA barcode's fields, a passport's zone, a
    licence layout); ``detect`` turns them into findings.
    """

    path: str
    content_type: str
    filename: str | None = None
    data: bytes = field(default=b"", repr=False)
    text: str = field(default="", repr=False)
    is_attachment: bool = False
    documents: list[IdDocument] = field(default_factory=list)


@dataclass(slots=True)
class Message:
    """A mail message as crossguard sees it.

    Envelope fields come from the caller (the SMTP transaction); Bcc lives only
    there. Header addresses are lower-cased bare addresses. ``fields`` holds the
    text that rides outside body parts, each a Part with its own provenance:
    header fields (``header:Subject``), display names (``header:To``), the local
    parts of message ids, file names (``2/attachment:a.txt/filename``), document
    properties and link targets; detectors and attribution read them like
    body text.
    """

    envelope_from: str | None = None
    envelope_rcpts: list[str] = field(default_factory=list)
    from_: list[str] = field(default_factory=list)
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    reply_to: list[str] = field(default_factory=list)
    sender: list[str] = field(default_factory=list)
    message_id: str | None = None
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    subject: str = field(default="", repr=False)
    date: str | None = None
    parts: list[Part] = field(default_factory=list)
    fields: list[Part] = field(default_factory=list)
    #: Where the header field of each ``header:`` field part stands among the message's
    #: top-level header fields (0 for the first): what redact rewrites.
    field_positions: dict[str, int] = field(default_factory=dict)
    notes: list[ParseNote] = field(default_factory=list)
    size: int = 0

    @property
    def recipients(self) -> list[str]:
        """Everyone the message is delivered to: the envelope if given, else To + Cc."""
        chosen = self.envelope_rcpts or [*self.to, *self.cc]
        return list(dict.fromkeys(address.lower() for address in chosen))

    @property
    def visible_recipients(self) -> list[str]:
        """Addresses every recipient can see (To and Cc)."""
        return list(dict.fromkeys([*self.to, *self.cc]))

    @property
    def author(self) -> str | None:
        """The From address, else the envelope sender."""
        return self.from_[0] if self.from_ else self.envelope_from

    def note(self, kind: str, part: str, reason: str) -> None:
        """Record a parse note."""
        self.notes.append(ParseNote(kind, part, reason))
