"""The pure pipeline every front end calls: bytes -> Message -> findings -> attributions -> Verdict.

``Guard`` holds what is built once per front end (detectors, the opened index,
the routing directory, authorized contacts) and checks messages with it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import Message as EmailMessage
from hashlib import blake2b
from pathlib import Path

from crossguard.config import Settings
from crossguard.core.attribution import Attribution
from crossguard.core.finding import Finding
from crossguard.core.mask import Span, mask_spans
from crossguard.detect import DetectorSet
from crossguard.detect.documents import document_findings
from crossguard.detect.settings import DetectSettings
from crossguard.errors import PolicyError
from crossguard.index.attribute import Attributor
from crossguard.index.customer_index import CustomerIndex
from crossguard.message import parse_message
from crossguard.message.fields import MERGED_PATH, MergedFields, id_text
from crossguard.message.mime import EMAIL_READ_ERRORS
from crossguard.message.model import Message
from crossguard.policy.bulk import MemoryRecipientCounter
from crossguard.policy.context import RecipientCounter, RuleContext
from crossguard.policy.engine import Explained, decide, explain
from crossguard.policy.parties import Parties, Recipient, read_authorized_contacts
from crossguard.policy.redact import redact_message
from crossguard.policy.verdict import Verdict
from crossguard.routing.directory import Directory


@dataclass(slots=True)
class Evaluation:
    """A checked message: the parsed Message (parties, parts) and its Verdict."""

    message: Message
    verdict: Verdict
    context: RuleContext
    rules: list[Explained]

    def unauthorized_recipients(self, attribution: Attribution) -> list[Recipient]:
        """Final recipients (groups expanded) who may not receive the data of
        ``attribution``'s customer."""
        return [recipient for recipient in self.context.recipients
                if not self.context.may_see(attribution, recipient)]


class Guard:
    """Checks messages against one configuration, index and directory."""

    def __init__(
        self,
        settings: Settings,
        *,
        index: CustomerIndex | None = None,
        directory: Directory | None = None,
        counter: RecipientCounter | None = None,
    ) -> None:
        self.settings = settings
        self.detectors = DetectorSet.from_settings(detect_settings(settings, index))
        self._attributor = (
            Attributor(index, settings.secret_key(), settings.index) if index is not None else None
        )
        self._parties = Parties(
            settings.policy,
            directory,
            self._attributor.customers_with_email if self._attributor else None,
            read_authorized_contacts(settings.policy.authorized_contacts),
        )
        self.counter = counter if counter is not None else MemoryRecipientCounter()

    @classmethod
    def from_settings(
        cls, settings: Settings, *, index_path: Path | None = None,
        counter: RecipientCounter | None = None,
    ) -> Guard:
        """Open the index (``index_path`` or ``settings.index.path``) and the directory."""
        path = index_path or settings.index.path
        index = CustomerIndex.open(path, settings.secret_key()) if path else None
        directory = (
            Directory.from_files(settings.policy.directory, settings.policy.company_domains,
                                 max_depth=settings.routing.max_depth)
            if settings.policy.directory else None
        )
        return cls(settings, index=index, directory=directory, counter=counter)

    @property
    def directory(self) -> Directory | None:
        """The routing directory the guard expands groups with (None without one)."""
        return self._parties.directory

    @property
    def index(self) -> CustomerIndex | None:
        """The opened customer index (None when the guard runs without one)."""
        return self._attributor.index if self._attributor else None

    def may_reach_outside(self, addresses: Sequence[str]) -> bool:
        """Whether any address is external, or a group that may expand to external members."""
        return self._parties.may_reach_outside(addresses)

    def mask_name(self, name: str) -> str:
        """A file name with the identifiers the detectors find in it, and the names, street
        lines and postcodes of customers the index knows, masked (a part path shows it)."""
        return self._shown(name, name)

    def mask_id(self, value: str) -> str:
        """A Message-ID with the identifiers in its local part masked (as a verdict shows it)."""
        return self._shown(value, id_text(value))

    def _shown(self, value: str, text: str) -> str:
        """``value`` with what the detectors and the index find in ``text`` (aligned) masked."""
        if not value:
            return value
        known = self._attributor.known(text) if self._attributor is not None else []
        return mask_spans(value, [*self.detectors.scan(text), *known])

    def find(self, message: Message, merged: MergedFields | None = None) -> list[Finding]:
        """Every finding in the message's parts and fields: text detectors, then ID documents.

        The body parts' texts and the fields (``merged``, built here when not given)
        are scanned as one text, in one detector pass (a pass has a fixed cost that
        a short field would pay again); each finding is mapped back to its own part
        or field. The separator between them is wider than any detector's reach.
        """
        merged = merged if merged is not None else MergedFields.of(message.fields)
        texts = [part for part in message.parts if part.text]
        joined = MergedFields.of([*texts, merged.part] if merged.part.text else texts)
        findings: list[Finding] = []
        if joined.part.text:
            for finding in self.detectors.scan(joined.part.text, joined.part.path):
                located = joined.locate(finding)
                findings.append(merged.locate(located) if located.part == MERGED_PATH
                                else located)
        for part in message.parts:
            for document in part.documents:
                findings.extend(document_findings(document, part.path))
        return findings

    def evaluate(
        self, raw: bytes, *, mail_from: str | None = None, rcpts: Sequence[str] = (),
        now: float | None = None, entity: EmailMessage | None = None,
    ) -> Evaluation:
        """Parse, detect, attribute and decide; the Evaluation keeps the parsed message.

        ``entity``: ``raw`` already parsed (:func:`crossguard.message.mime.parse_bytes`).
        """
        started = time.perf_counter()
        message = parse_message(raw, self.settings.parse, envelope_from=mail_from,
                                envelope_rcpts=rcpts, images=self.settings.images,
                                mask_name=self.mask_name, entity=entity)
        return self.evaluate_message(message, now=now, started=started)

    def evaluate_message(
        self, message: Message, *, now: float | None = None, started: float | None = None
    ) -> Evaluation:
        """Detect, attribute and decide on an already parsed Message (e.g. an Outlook .msg)."""
        started = started if started is not None else time.perf_counter()
        timings: dict[str, float] = {"parse": _ms_since(started)}
        mark = time.perf_counter()
        merged = MergedFields.of(message.fields)
        findings = self.find(message, merged)
        timings["detect"] = _ms_since(mark)
        mark = time.perf_counter()
        attributions = (self._attributor.attribute([*message.parts, *merged.attributable],
                                                   findings, merged)
                        if self._attributor else [])
        timings["attribute"] = _ms_since(mark)
        mark = time.perf_counter()
        context = RuleContext(message, findings, attributions, self._parties,
                              self.settings.policy, self.counter,
                              now if now is not None else time.time())
        outcomes = explain(context)
        action, rules = decide(outcomes, self.settings.policy)
        timings["policy"] = _ms_since(mark)
        timings["total"] = _ms_since(started)
        verdict = Verdict(action, rules, findings, attributions, list(message.notes), timings,
                          shown_field(message.message_id, "header:Message-ID", findings,
                                      attributions),
                          shown_field(message.subject, "header:Subject", findings, attributions))
        return Evaluation(message, verdict, context, outcomes)

    def check(
        self, raw: bytes, *, mail_from: str | None = None, rcpts: Sequence[str] = ()
    ) -> Verdict:
        """The Verdict for one raw message with its envelope."""
        return self.evaluate(raw, mail_from=mail_from, rcpts=rcpts).verdict

    def redact(self, raw: bytes, verdict: Verdict) -> bytes:
        """The message with every finding of ``verdict`` masked; re-checked so nothing slips.

        Raises PolicyError when the redacted copy still shows findings, or when the
        message cannot be rewritten (a part whose charset or parameters the stdlib
        cannot read): the caller then holds the message instead.
        """
        original = parse_message(raw, self.settings.parse, images=self.settings.images)
        try:
            copy = redact_message(raw, original, verdict.findings)
        except EMAIL_READ_ERRORS as error:
            raise PolicyError(f"the message cannot be rewritten ({type(error).__name__}); "
                              "hold the message instead") from None
        message = parse_message(copy, self.settings.parse, images=self.settings.images)
        left = self.find(message)
        if left:
            kinds = ", ".join(sorted({finding.kind for finding in left}))
            raise PolicyError(f"redaction left findings ({kinds}); hold the message instead")
        return copy


@dataclass(frozen=True, slots=True)
class GuardSpec:
    """How to build the same Guard in another process (picklable): settings and index folder.

    Give an absolute ``index_path`` when the Guard is built on another machine or folder.
    """

    settings: Settings
    index_path: Path | None = None

    @property
    def token(self) -> str:
        """Equal for specs that build equal Guards."""
        text = f"{self.index_path}\n{self.settings.model_dump_json()}"
        return blake2b(text.encode(), digest_size=16).hexdigest()

    def build(self, counter: RecipientCounter | None = None) -> Guard:
        """A Guard with the index opened (read-only, memory-mapped) and the directory read."""
        return Guard.from_settings(self.settings, index_path=self.index_path, counter=counter)


def shown_field(value: str | None, part: str, findings: Sequence[Finding],
                attributions: Sequence[Attribution]) -> str | None:
    """A header value as stored or shown: the identifiers found in its field part masked,
    and the places of the attributed customers' evidence there (a name, a street line)."""
    if value is None:
        return None
    places: list[Span] = [finding for finding in findings if finding.part == part]
    places += [place for attribution in attributions for evidence in attribution.evidence
               if evidence.part == part for place in evidence.places]
    return mask_spans(value, places)


def detect_settings(settings: Settings, index: CustomerIndex | None) -> DetectSettings:
    """``settings.detect``, its regions defaulting to the index's countries (default first)."""
    detect = settings.detect
    if detect.regions or index is None or not index.countries:
        return detect
    default = detect.default_region.upper()
    regions = sorted(index.countries, key=lambda code: code != default)  # stable: by count
    return detect.model_copy(update={"regions": regions})


def _ms_since(start: float) -> float:
    return (time.perf_counter() - start) * 1000.0
