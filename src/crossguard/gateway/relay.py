"""The relay worker: deliver queued spool rows upstream with retries.

Delivery is at least once. A row is claimed (``relaying``) before it is sent
(a message the acceptor hands over, in a slot it reserved, is committed
claimed) and marked ``delivered`` right after the upstream's final ``250``; a
crash in between leaves a claimed row that is sent again after the restart, so
the upstream may see that message twice. That window is one SMTP reply plus one
commit per in-flight message; everything else is exactly once.

Where a message goes (a smart host, or the MX hosts of each recipient
domain, chosen by the sender's domain) is the router's business
(``gateway/delivery``); upstream connections stay open between messages.

Per-recipient results: ``5xx`` recipients fail for good (audited), ``4xx``
recipients stay queued and are retried with exponential backoff. A recipient
or sender that cannot be written into an SMTP command fails for good; any
other exception defers the row (audited ``relay.error``); no row is left
``relaying`` once the store can be written again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from typing import TypeVar

from crossguard.gateway.delivery.router import Router
from crossguard.gateway.delivery.transport import Transport
from crossguard.gateway.envelope import carriable
from crossguard.gateway.metrics import MailMetrics
from crossguard.gateway.settings import GatewaySettings
from crossguard.store.quarantine import masked_addresses
from crossguard.store.spool import Claim, SpoolItem
from crossguard.store.store import Store

T = TypeVar("T")
log = logging.getLogger("crossguard.gateway.relay")


def backoff(attempts: int, base: float, ceiling: float) -> float:
    """Delay before the next try after ``attempts`` tries."""
    return float(min(ceiling, base * 2 ** max(0, attempts - 1)))


@dataclass(slots=True)
class Outcome:
    """What one attempt decided for a claimed row, kept until the store has recorded it."""

    item: SpoolItem
    temporary: list[str]
    permanent: list[str]
    error: str | None
    unexpected: bool = False
    audited: bool = False


class RelayWorker:
    """Claims due spool rows and relays them to the upstream MTA."""

    def __init__(self, store: Store, settings: GatewaySettings, io_pool: Executor,
                 router: Router | None = None, metrics: MailMetrics | None = None) -> None:
        self.store = store
        self.settings = settings
        self.metrics = metrics or MailMetrics("gateway")
        self.router = router or Router(settings)
        self.transport = Transport(settings.upstream_timeout_seconds)
        self._io_pool = io_pool
        self._wake = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        self._unrecorded: list[Outcome] = []
        self._reserved = 0
        self._stopped = False
        #: Whether queued rows may be due: claims are looked for only then.
        self._look = True
        self.owner = store.instance

    async def _io(self, func: Callable[..., T], *args: object) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._io_pool, func, *args)

    def wake(self) -> None:
        """Look for queued rows now instead of at the next poll."""
        self._look = True
        self._wake.set()

    def reserve(self) -> Claim | None:
        """A delivery slot for a message about to be committed claimed; None when all are taken."""
        busy = len(self._tasks) + self._reserved >= self.settings.relay_concurrency
        if busy or self._stopped:
            return None
        self._reserved += 1
        return Claim(self.owner, self.settings.lease_seconds)

    def hand(self, item: SpoolItem | None, body: bytes) -> None:
        """Use a reserved slot: relay ``item``, committed claimed, with ``body`` (None: free it).

        Once stopping, nothing new is sent: the claimed row is requeued at the next start.
        """
        self._reserved -= 1
        if item is None or self._stopped:
            self._slot_freed()
            return
        self._start(self._deliver(item, body))

    def _start(self, delivery: Coroutine[object, object, None]) -> None:
        task = asyncio.create_task(delivery)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    async def run(self) -> None:
        """Relay until cancelled."""
        while True:
            self._wake.clear()
            items: list[SpoolItem] = []
            await self._record_pending()
            free = self.settings.relay_concurrency - len(self._tasks) - self._reserved
            if free > 0 and self._look:
                self._look = False
                try:
                    items = await asyncio.wrap_future(self.store.spool.claim_later(
                        self.owner, free, self.settings.lease_seconds))
                except Exception as error:  # keep relaying: the store may return
                    self._look = True
                    log.error("relay: claim failed (%s)", type(error).__name__)
                if len(items) == free:  # there may be more
                    self._look = True
            for item in items:
                self._start(self._deliver(item))
            try:
                await asyncio.wait_for(self._wake.wait(), self.settings.poll_seconds)
            except TimeoutError:
                self._look = True  # retries come due, other instances' leases end

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._slot_freed()

    def _slot_freed(self) -> None:
        """Claim queued rows into the free slot, if any may be due (else wait for the poll)."""
        if self._look:
            self._wake.set()

    async def stop(self) -> None:
        """Wait for in-flight deliveries to finish (their rows stay claimed if cancelled)."""
        self._stopped = True
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._record_pending()  # what still fails stays claimed; recovery requeues it
        await self.transport.close()

    async def _deliver(self, item: SpoolItem, body: bytes | None = None) -> None:
        """Attempt one claimed row and record the outcome; never raises.

        Any exception while relaying defers the row's recipients (audited
        ``relay.error``). An outcome the store cannot take now (a full disk, a
        lost database) is kept and written again at every poll, so the row is
        settled within ``poll_seconds`` of the store coming back, not at the
        end of its lease, and a delivered message is not sent twice.
        """
        try:
            outcome = await self._attempt(item, body)
        except Exception as error:  # a fault of ours or of a library: defer, never lose
            log.error("relay %s: %s while relaying", item.id, type(error).__name__)
            outcome = Outcome(item, list(item.rcpts), [], type(error).__name__, unexpected=True)
        await self._record(outcome, first=True)

    async def _record(self, outcome: Outcome, *, first: bool = False) -> None:
        try:
            await self._io(self._settle, outcome)
        except Exception as error:
            if first:
                log.error("relay %s: outcome not recorded (%s); trying again every poll",
                          outcome.item.id, type(error).__name__)
            self._unrecorded.append(outcome)

    async def _record_pending(self) -> None:
        """Write the outcomes the store could not take before."""
        pending, self._unrecorded = self._unrecorded, []
        for outcome in pending:
            await self._record(outcome)
        if pending and not self._unrecorded:
            log.info("relay: %d pending outcome(s) recorded", len(pending))

    async def _attempt(self, item: SpoolItem, body: bytes | None) -> Outcome:
        """Send once (``body``, else the spooled bytes): which recipients are done, which go
        back to the queue, and why."""
        refused = [rcpt for rcpt in item.rcpts if not carriable(rcpt)]
        if not carriable(item.mail_from):
            refused = list(item.rcpts)
        sendable = [rcpt for rcpt in item.rcpts if rcpt not in refused]
        if not sendable:
            return Outcome(item, [], refused, "invalid address")
        try:
            if body is None:
                body = await self._io(self.store.spool.load, item)
        except Exception as failure:
            log.error("relay %s: body unreadable (%s)", item.id, type(failure).__name__)
            return Outcome(item, sendable, refused, "body unreadable")
        temporary, permanent, error = await self._send(replace(item, rcpts=sendable), body)
        permanent = [*refused, *permanent]
        error = error or ("invalid address" if refused else None)
        if temporary and time.time() - item.received_at >= self.settings.give_up_seconds:
            permanent, temporary = [*permanent, *temporary], []
        delivered = len(item.rcpts) - len(temporary) - len(permanent)
        self.metrics.relayed(delivered, len(temporary), len(permanent))
        if delivered:
            log.info("relay %s: delivered to %d recipient(s)", item.id, delivered)
        if temporary:
            log.warning("relay %s: %d recipient(s) deferred (%s)", item.id, len(temporary),
                        error)
        return Outcome(item, temporary, permanent, error)

    def _settle(self, outcome: Outcome) -> None:
        """Audit the outcome once, then requeue the row or close it (in the I/O pool)."""
        item, spool = outcome.item, self.store.spool
        if not outcome.audited:
            if outcome.unexpected:
                self.store.audit.record(f"gateway:{self.owner}", "relay.error", {
                    "spool_id": item.id, "rcpts": masked_addresses(outcome.temporary),
                    "error": outcome.error,
                })
            if outcome.permanent:
                self._audit_failed(item.id, outcome.permanent, outcome.error or "refused")
            outcome.audited = True
        if outcome.temporary:
            delay = backoff(item.attempts, self.settings.retry_base_seconds,
                            self.settings.retry_max_seconds)
            spool.retry(item.id, self.owner, outcome.temporary, outcome.permanent, delay,
                        outcome.error or "deferred")
        else:
            spool.finish(item.id, self.owner, outcome.permanent, outcome.error)

    async def _send(self, item: SpoolItem, body: bytes) -> tuple[list[str], list[str], str | None]:
        """Send once to every destination: (recipients to retry, failed for good, summary)."""
        temporary: list[str] = []
        permanent: list[str] = []
        errors: list[str] = []
        for destination in await self.router.destinations(item.mail_from, item.rcpts):
            retry, failed, error = await self.transport.send(destination, item.mail_from, body)
            temporary += retry
            permanent += failed
            if error:
                errors.append(error)
        return temporary, permanent, "; ".join(dict.fromkeys(errors)) or None

    def _audit_failed(self, spool_id: str, failed: list[str], error: str) -> None:
        """Record recipients that failed for good (masked)."""
        log.warning("relay %s: %d recipient(s) failed for good (%s)", spool_id, len(failed), error)
        self.store.audit.record(f"gateway:{self.owner}", "relay.failed", {
            "spool_id": spool_id, "rcpts": masked_addresses(failed), "error": error,
        })
