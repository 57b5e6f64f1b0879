"""What runs on a Dask worker: one Guard per process, a batch of messages in, outcomes out.

An :class:`Outcome` holds only what the exposure graph needs: ids, dates,
addresses and masked evidence. Raw identifiers never leave the worker.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.parser import BytesHeaderParser
from email.utils import parsedate_to_datetime

from crossguard.errors import CrossguardError
from crossguard.incident.sources import Item
from crossguard.message import parse_outlook_msg
from crossguard.message.headers import RAW_POLICY, RECIPIENT_HEADERS, header_addresses, unfold
from crossguard.message.model import Message
from crossguard.scan import Evaluation, Guard, GuardSpec

_HEADER_CHARS = 200_000
_GUARDS: dict[str, Guard] = {}


@dataclass(frozen=True, slots=True)
class Hit:
    """One customer's data reaching one recipient who may not see it (masked evidence)."""

    customer_id: str
    recipient: str
    evidence: tuple[tuple[str, str], ...]
    via_group: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one message contributed to the scan."""

    seq: int
    source: str
    message_id: str | None = None
    date: datetime | None = None
    sender: str | None = None
    hits: tuple[Hit, ...] = ()
    error: str | None = None
    evaluated: bool = False


class MessageOnlyCounter:
    """Bulk-send state for an archive scan: each message counted alone.

    A gateway's sliding window makes no sense over an archive split across
    workers, and would grow with every sender of the archive.
    """

    def record_and_count(self, sender: str, recipients: Sequence[str], window_seconds: int,
                         now: float, keep_seconds: int = 0) -> int:
        return len(set(recipients))

    def peak(self, sender: str, since: float, until: float, bucket_seconds: int) -> int:
        return 0


def guard_for(spec: GuardSpec) -> Guard:
    """This process's Guard for ``spec``, built once (the index opened read-only, memory-mapped)."""
    guard = _GUARDS.get(spec.token)
    if guard is None:
        guard = _GUARDS[spec.token] = spec.build(MessageOnlyCounter())
    return guard


def scan_batch(spec: GuardSpec, items: Sequence[Item]) -> list[Outcome]:
    """Scan a batch; a message that cannot be read becomes an Outcome with an error."""
    guard = guard_for(spec)
    return [scan_item(guard, item) for item in items]


def scan_item(guard: Guard, item: Item) -> Outcome:
    """Scan one message; never raises for a malformed message."""
    try:
        if item.outlook:
            message = parse_outlook_msg(item.raw, guard.settings.parse,
                                        images=guard.settings.images)
            return _outcome(item, guard.evaluate_message(message), None)
        headers = BytesHeaderParser(policy=RAW_POLICY).parsebytes(item.raw)
        recipients = header_addresses(headers, RECIPIENT_HEADERS, _HEADER_CHARS)
        sender = _first(header_addresses(headers, ("from",), _HEADER_CHARS))
        date = _date(headers.get("date"))
        message_id = guard.mask_id(unfold(headers.get("message-id", ""), 998)) or None
        if headers.keys() and not guard.may_reach_outside(recipients):
            return Outcome(item.seq, item.source, message_id, date, sender)
        evaluation = guard.evaluate(item.raw, rcpts=recipients)
        return _outcome(item, evaluation, date)
    except CrossguardError as error:
        return Outcome(item.seq, item.source, error=f"{type(error).__name__}: {error}")
    except Exception as error:  # a malformed message is counted, never fatal
        return Outcome(item.seq, item.source, error=f"{type(error).__name__} while reading")


def _outcome(item: Item, evaluation: Evaluation, date: datetime | None) -> Outcome:
    message = evaluation.message
    hits = []
    for attribution in evaluation.verdict.attributions:
        evidence = tuple(sorted({(e.kind, e.masked) for e in attribution.evidence}))
        for recipient in evaluation.unauthorized_recipients(attribution.customer_id):
            hits.append(Hit(attribution.customer_id, recipient.address, evidence,
                            recipient.via_group))
    return Outcome(item.seq, item.source, evaluation.verdict.message_id,
                   date if date is not None else _date(message.date), _sender(message),
                   tuple(hits), None, True)


def _sender(message: Message) -> str | None:
    return message.author.lower() if message.author else None


def _first(addresses: list[str]) -> str | None:
    return addresses[0] if addresses else None


def _date(value: object) -> datetime | None:
    """A Date header as an aware UTC datetime (None when missing or unreadable)."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = parsedate_to_datetime(unfold(value, 998))
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
