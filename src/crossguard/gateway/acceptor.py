"""What happens on DATA: spool durably, check under a time budget, act on the verdict.

The order is the contract: the body file is fsynced before the check starts,
and its row is committed in its decided state (``queued``, ``held`` or
``rejected``) in one transaction with the audit entry before the reply is
written. A message whose check fails or times out loses its file and is
answered ``451``: the client still has it and retries. A byte-identical
retransmission of an accepted message is found in that same transaction
(so two copies arriving together cannot both be queued): it loses its file
and is answered with the first copy's id.

A message to relay is handed to the relay worker when it has a free slot:
its row is then committed already claimed (``relaying``, leased to this
instance) and the worker sends the bytes in hand, with no claim transaction
and no read of the file. A crash before delivery leaves a claimed row, which
recovery or the lease's end puts back in the queue.
"""

from __future__ import annotations

import asyncio
import contextvars
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Protocol, TypeVar

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from crossguard.errors import PolicyError
from crossguard.gateway.checker import Checker, Redactor, effective_action
from crossguard.gateway.metrics import MailMetrics
from crossguard.gateway.notice import Notifier
from crossguard.gateway.reasons import deciding_rules, sender_reason
from crossguard.gateway.settings import GatewaySettings
from crossguard.policy.submitter import SUBMITTER
from crossguard.policy.verdict import Verdict
from crossguard.store.spool import Claim, SpoolItem, envelope_digest
from crossguard.store.store import Store

T = TypeVar("T")


class Relay(Protocol):
    """The relay worker as the acceptor hands it messages committed already claimed."""

    def reserve(self) -> Claim | None:
        """A delivery slot's claim, or None when every slot is taken."""

    def hand(self, item: SpoolItem | None, body: bytes) -> None:
        """Relay ``item``'s committed first attempt with ``body`` (None: free the slot)."""


class CheckTimeout(Exception):
    """The check did not finish within ``check_timeout_seconds``."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """The SMTP reply for one message and whether the relay worker has new work."""

    reply: str
    spool_id: str
    action: str
    queued: bool
    quarantine_id: str | None = None
    rules: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Decided:
    """What the decision's transaction did: nothing (a duplicate), or a hold and a notice."""

    duplicate_of: str | None = None
    quarantine_id: str | None = None
    notice_queued: bool = False
    item: SpoolItem | None = None


class Acceptor:
    """Turn one SMTP transaction into a spool row, a verdict and a reply."""

    def __init__(self, store: Store, checker: Checker, settings: GatewaySettings,
                 check_pool: Executor, io_pool: Executor, notifier: Notifier | None = None,
                 metrics: MailMetrics | None = None, relay: Relay | None = None) -> None:
        self.store = store
        self.checker = checker
        self.settings = settings
        self.notifier = notifier
        self.metrics = metrics or MailMetrics("gateway")
        self._check_pool = check_pool
        self._io_pool = io_pool
        self._relay = relay
        self.actor = f"gateway:{store.instance}"

    async def _io(self, func: Callable[..., T], *args: object) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._io_pool, func, *args)

    async def accept(self, mail_from: str, rcpts: Sequence[str], body: bytes,
                     submitter: str | None = None) -> Outcome:
        """Spool, check and act; raises on any failure (the caller answers 451).

        ``submitter`` (the AUTH login or client address) scopes bulk_send's count.
        """
        digest = envelope_digest(mail_from, rcpts, body)
        spool_id = await self._io(self.store.spool.write, body)
        try:
            verdict, action, redacted = await self._check(mail_from, rcpts, body, submitter)
        except BaseException:
            await asyncio.shield(self._io(self.store.spool.remove_files, spool_id))
            raise
        # Once deciding has started it finishes even if the client goes away: a
        # committed decision whose 250 was lost is answered again by the dedupe.
        decision = asyncio.ensure_future(self._act(
            spool_id, mail_from, list(rcpts), body, digest, verdict, action, redacted))
        outcome = await asyncio.shield(decision)
        self.metrics.decided(outcome.action, outcome.rules)
        return outcome

    async def _check(self, mail_from: str, rcpts: Sequence[str], body: bytes,
                     submitter: str | None) -> tuple[Verdict, str, bytes | None]:
        loop = asyncio.get_running_loop()
        context = contextvars.copy_context()
        context.run(SUBMITTER.set, submitter)
        future = loop.run_in_executor(self._check_pool, context.run, self._verdict, mail_from,
                                      rcpts, body)
        started = time.perf_counter()
        try:
            checked = await asyncio.wait_for(future, self.settings.check_timeout_seconds)
        except TimeoutError:
            raise CheckTimeout from None
        self.metrics.checked(time.perf_counter() - started)
        return checked

    def _verdict(self, mail_from: str, rcpts: Sequence[str], body: bytes
                 ) -> tuple[Verdict, str, bytes | None]:
        """Check; for ``redact`` also mask (a copy that still shows findings is held instead)."""
        verdict = self.checker.check(body, mail_from=mail_from, rcpts=rcpts)
        action = effective_action(self.checker, verdict)
        if action == "redact" and isinstance(self.checker, Redactor):
            try:
                return verdict, action, self.checker.redact(body, verdict)
            except PolicyError:
                return verdict, "quarantine", None
        return verdict, action, None

    async def _act(self, spool_id: str, mail_from: str, rcpts: list[str], body: bytes,
                   digest: str, verdict: Verdict, action: str, redacted: bytes | None
                   ) -> Outcome:
        """Commit the spool row in its decided state with the audit entry, then reply."""
        spool = self.store.spool
        relay = self._relay if action not in ("quarantine", "reject") else None
        claim = relay.reserve() if relay is not None else None
        try:
            body_path = None
            if redacted is not None:
                body_path = await self._io(spool.replace_body, spool_id, redacted)
            job = self._decision(spool_id, mail_from, rcpts, body, digest, verdict, action,
                                 body_path, claim)
            decided = await asyncio.wrap_future(self.store.writer.submit(job))
        except BaseException:
            if relay is not None and claim is not None:
                relay.hand(None, body)
            await self._io(spool.remove_files, spool_id)
            raise
        if relay is not None and claim is not None:
            relay.hand(decided.item, body if redacted is None else redacted)
        if decided.duplicate_of is not None:
            await self._io(spool.remove_files, spool_id)
            existing = decided.duplicate_of
            return Outcome(f"250 2.0.0 queued as {existing}", existing, "duplicate", False)
        if action == "reject":
            await self._io(spool.remove_files, spool_id)
            names = ", ".join(deciding_rules(verdict))
            return Outcome(f"550 5.7.1 message refused by policy: {names}", spool_id, action,
                           False)
        if action == "quarantine":
            await self._io(spool.remove_files, spool_id)
            held, rules = decided.quarantine_id, tuple(deciding_rules(verdict))
            reply = (f"550 5.7.1 {sender_reason(verdict)} (quarantine {held})"
                     if self.settings.hold_reply == "reject"
                     else f"250 2.0.0 held in quarantine {held} ({', '.join(rules)})")
            return Outcome(reply, spool_id, action, decided.notice_queued, held, rules)
        return Outcome(f"250 2.0.0 queued as {spool_id}", spool_id, action, claim is None)

    def _decision(self, spool_id: str, mail_from: str, rcpts: list[str], body: bytes,
                  digest: str, verdict: Verdict, action: str, body_path: str | None,
                  claim: Claim | None = None) -> Callable[[Connection], Decided]:
        """The writes of one decision: spool row, and audit entry or quarantine hold
        (with the internal sender's notice queued).

        The job names an accepted copy of the same message instead, writing
        nothing, when there is one. A queued row with a ``claim`` is inserted
        claimed, and its first attempt returned.
        """
        store = self.store
        state = {"quarantine": "held", "reject": "rejected"}.get(action, "queued")
        since = time.time() - self.settings.dedupe_seconds

        def job(connection: Connection) -> Decided:
            existing = store.spool.accepted(connection, digest, since)
            if existing is not None:
                return Decided(duplicate_of=existing)
            item = store.spool.record(connection, spool_id, mail_from=mail_from, rcpts=rcpts,
                                      digest=digest, state=state, body_path=body_path,
                                      claim=claim)
            held = store.record(verdict, body, mail_from=mail_from, rcpts=rcpts,
                                actor=self.actor, event=f"message.{action}", action=action,
                                spool_id=spool_id, connection=connection)
            if held is None or self.notifier is None:
                return Decided(quarantine_id=held, item=item if claim is not None else None)
            notice = self.notifier.notice(mail_from, rcpts, held, verdict)
            if notice is not None:
                with Session(connection) as session:
                    store.spool.enqueue(session, "", [mail_from], notice)
                    session.flush()
            return Decided(quarantine_id=held, notice_queued=notice is not None)

        return job
