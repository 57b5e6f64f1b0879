"""Request and response bodies of the HTTP API (they make the OpenAPI document)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field

from crossguard.service.queue import REASON

#: A header value: one line (no CR or LF, no header injection).
ONE_LINE = r"^[^\r\n]*$"
#: Standard base64 with correct padding.
BASE64 = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
#: A reason says something: at least one letter or digit.
Line = Annotated[str, Field(max_length=998, pattern=ONE_LINE)]
#: One bare envelope address, ``local@domain`` in ASCII (IDN domains as punycode): nothing
#: that could end a MAIL/RCPT command or add an address (CR, LF, controls, spaces, ``<>``, ``,``).
ADDRESS = r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9.-]{1,253}$"
Address = Annotated[str, Field(pattern=ADDRESS, examples=["care@example.com"])]


class AttachmentIn(BaseModel):
    """One attachment of a JSON check request."""

    filename: str = Field(max_length=255, pattern=ONE_LINE,
                          description="File name shown to the recipient.")
    content_type: str = Field(
        "application/octet-stream", max_length=255, pattern=r"^[\w.+-]+/[\w.+-]+$",
        description="MIME type, e.g. image/jpeg.",
    )
    content_base64: str = Field(pattern=BASE64, description="The file's bytes, base64.")


class CheckRequest(BaseModel):
    """A message described as JSON; the API assembles it into MIME with the standard library."""

    model_config = {"extra": "forbid"}

    from_: Address = Field(alias="from", description="The From address (bare local@domain).")
    to: list[Address] = Field(default_factory=list, description="To addresses (bare).")
    cc: list[Address] = Field(default_factory=list, description="Cc addresses (bare).")
    bcc: list[Address] = Field(
        default_factory=list, description="Bcc addresses (bare; envelope only, never a header)."
    )
    reply_to: list[Line] = Field(default_factory=list, description="Reply-To addresses.")
    subject: Line = Field("", description="The Subject header.")
    text: str | None = Field(None, description="The plain-text body.")
    html: str | None = Field(None, description="The HTML body.")
    attachments: list[AttachmentIn] = Field(default_factory=list, description="Attachments.")


class FindingOut(BaseModel):
    """One identifier found (masked)."""

    kind: str
    part: str
    span: list[int]
    masked: str
    confidence: float


class EvidenceOut(BaseModel):
    """One identifier tying the message to a customer (masked)."""

    kind: str
    part: str
    masked: str
    weight: float


class AttributionOut(BaseModel):
    """A customer whose data the message carries."""

    customer_id: str
    score: float
    kinds: list[str]
    evidence: list[EvidenceOut]


class RuleOut(BaseModel):
    """A rule that fired, with a reason naming no personal data."""

    rule: str
    action: str
    severity: str
    reason: str
    monitor: bool
    customers: list[str]


class NoteOut(BaseModel):
    """A problem met while reading the message."""

    kind: str
    part: str
    reason: str


class VerdictOut(BaseModel):
    """What the guard decided, masked."""

    action: str = Field(description="allow, warn, redact, quarantine or reject.")
    message_id: str | None
    rules: list[RuleOut]
    findings: list[FindingOut]
    attributions: list[AttributionOut]
    notes: list[NoteOut]
    timings_ms: dict[str, float]


class CheckResponse(BaseModel):
    """A verdict, and the quarantine id when the message was held on request."""

    verdict: VerdictOut
    quarantine_id: str | None = Field(
        None, description="Set when hold=true and the verdict was quarantine."
    )


class HeldOut(BaseModel):
    """A quarantine entry (addresses masked)."""

    id: str
    created_at: float
    state: str
    action: str
    message_id: str | None
    mail_from: str
    rcpts: list[str]
    rules: list[str]
    reason: str | None
    decided_by: str | None


class HeldDetail(HeldOut):
    """A quarantine entry with its masked verdict."""

    verdict: dict[str, Any]


class QuarantineList(BaseModel):
    """Entries matching the filters, with counts."""

    entries: list[HeldOut]
    total: int = Field(description="Entries matching the filters before the limit.")
    by_rule: dict[str, int]
    by_state: dict[str, int]


class Decision(BaseModel):
    """Why a held message is released or discarded (audited)."""

    reason: str = Field(min_length=1, max_length=2000, pattern=REASON,
                        description="Why; recorded in the audit (needs a letter or digit).")


class DecisionOut(BaseModel):
    """The outcome of a release or discard."""

    id: str
    state: str
    spool_id: str | None = Field(None, description="The relay queue id of a released message.")


class AuditEntryOut(BaseModel):
    """One audit entry; the payload holds masked values only."""

    seq: int
    ts: str
    actor: str
    event: str
    payload: dict[str, Any]
    hash: str


class AuditList(BaseModel):
    """Entries after ``after``, oldest first."""

    entries: list[AuditEntryOut]


class ChainOut(BaseModel):
    """The audit chain's verification."""

    ok: bool
    entries: int
    first_bad: int | None
    problem: str | None
    head_seq: int


class Health(BaseModel):
    """Liveness or readiness."""

    status: str
    checks: dict[str, str] = Field(default_factory=dict)
