"""Everything a rule may read about one message, resolved once."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from crossguard.core.attribution import Attribution
from crossguard.core.finding import Finding
from crossguard.message.model import Message
from crossguard.policy.echo import Quotes
from crossguard.policy.parties import Parties, Recipient
from crossguard.policy.settings import PolicySettings


class RecipientCounter(Protocol):
    """State for the bulk-send rule (in memory, or shared through the store)."""

    def record_and_count(
        self, sender: str, recipients: Sequence[str], window_seconds: int, now: float,
        keep_seconds: int = 0,
    ) -> int:
        """Distinct recipients ``sender`` reached within the window, these included.

        Marks are kept ``max(window_seconds, keep_seconds)`` for :meth:`peak`.
        """
        ...

    def peak(self, sender: str, since: float, until: float, bucket_seconds: int) -> int:
        """Most distinct recipients last reached by ``sender`` in one bucket of [since, until),
        remembered per bucket of ``until`` (the baseline moves by the bucket)."""
        ...


@dataclass(slots=True)
class RuleContext:
    """A message with its findings, attributions and resolved recipients."""

    message: Message
    findings: Sequence[Finding]
    attributions: Sequence[Attribution]
    parties: Parties
    settings: PolicySettings
    counter: RecipientCounter | None = None
    now: float = field(default_factory=time.time)
    recipients: list[Recipient] = field(init=False)
    _quotes: Quotes | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.recipients = self.parties.final_recipients(self.message.recipients)

    @property
    def external_recipients(self) -> list[Recipient]:
        return [recipient for recipient in self.recipients if not recipient.internal]

    def may_see(self, attribution: Attribution, recipient: Recipient) -> bool:
        """Whether ``recipient`` may receive the data of ``attribution``'s customer: they
        may see it (:meth:`Parties.may_see`), or the message only quotes it back to them
        from their own message (:meth:`Quotes.echoed`, read once per message)."""
        if self.parties.may_see(attribution.customer_id, recipient):
            return True
        if self.message.in_reply_to is None and not self.message.references:
            return False  # no reply: it quotes no one back
        if self._quotes is None:
            self._quotes = Quotes(self.message)
        return self._quotes.echoed(attribution, recipient.address)

    @property
    def author_is_internal(self) -> bool:
        author = self.message.author
        return author is not None and self.parties.is_internal(author)


@dataclass(frozen=True, slots=True)
class Check:
    """What one rule concluded: fired or not, and why (no personal data)."""

    fired: bool
    reason: str
    customers: tuple[str, ...] = ()


def fired(reason: str, customers: Sequence[str] = ()) -> Check:
    return Check(True, reason, tuple(customers))


def passed(reason: str) -> Check:
    return Check(False, reason)
