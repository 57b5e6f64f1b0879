"""The relay worker: deliver queued spool rows upstream with retries.

Delivery is at least once. A row is claimed (``relaying``) before it is sent
and marked ``delivered`` right after the upstream's final ``250``; a crash in
between leaves a claimed row that is sent again after the restart, so the
upstream may see that message twice. That window is one SMTP reply plus one
commit per in-flight message; everything else is exactly once.

Where a message goes (a smart host, or the MX hosts of each recipient
domain, chosen by the sender's domain) is the router's business
(``gateway/delivery``); upstream connections stay open between messages.

Per-recipient results: ``5xx`` recipients fail for good (audited), ``4xx``
recipients stay queued and are retried with exponential backoff.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from concurrent.futures import Executor
from typing import TypeVar

from crossguard.gateway.delivery.router import Router
from crossguard.gateway.delivery.transport import Transport
from crossguard.gateway.metrics import MailMetrics
from crossguard.gateway.settings import GatewaySettings
from crossguard.store.quarantine import masked_addresses
from crossguard.store.spool import SpoolItem
from crossguard.store.store import Store

T = TypeVar("T")
log = logging.getLogger("crossguard.gateway.relay")


def backoff(attempts: int, base: float, ceiling: float) -> float:
    """Delay before the next try after ``attempts`` tries."""
    return float(min(ceiling, base * 2 ** max(0, attempts - 1)))


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
        self.owner = store.instance

    async def _io(self, func: Callable[..., T], *args: object) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._io_pool, func, *args)

    def wake(self) -> None:
        """Look for work now instead of at the next poll."""
        self._wake.set()

    async def run(self) -> None:
        """Relay until cancelled."""
        while True:
            self._wake.clear()
            free = self.settings.relay_concurrency - len(self._tasks)
            items: list[SpoolItem] = []
            if free > 0:
                try:
                    items = await asyncio.wrap_future(self.store.spool.claim_later(
                        self.owner, free, self.settings.lease_seconds))
                except Exception as error:  # keep relaying: the store may return
                    log.error("relay: claim failed (%s)", type(error).__name__)
            for item in items:
                task = asyncio.create_task(self._deliver(item))
                self._tasks.add(task)
                task.add_done_callback(self._done)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.settings.poll_seconds)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._wake.set()

    async def stop(self) -> None:
        """Wait for in-flight deliveries to finish (their rows stay claimed if cancelled)."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.transport.close()

    async def _deliver(self, item: SpoolItem) -> None:
        spool = self.store.spool
        try:
            body = await self._io(spool.load, item)
        except Exception as failure:
            log.error("relay %s: body unreadable (%s)", item.id, type(failure).__name__)
            delay = backoff(item.attempts, self.settings.retry_base_seconds,
                            self.settings.retry_max_seconds)
            await self._io(spool.retry, item.id, self.owner, item.rcpts, [], delay,
                           "body unreadable")
            return
        temporary, permanent, error = await self._send(item, body)
        if temporary and time.time() - item.received_at >= self.settings.give_up_seconds:
            permanent, temporary = [*permanent, *temporary], []
        delivered = len(item.rcpts) - len(temporary) - len(permanent)
        self.metrics.relayed(delivered, len(temporary), len(permanent))
        if delivered:
            log.info("relay %s: delivered to %d recipient(s)", item.id, delivered)
        if permanent:
            await self._io(self._audit_failed, item.id, permanent, error or "refused")
        if temporary:
            delay = backoff(item.attempts, self.settings.retry_base_seconds,
                            self.settings.retry_max_seconds)
            log.warning("relay %s: %d recipient(s) deferred (%s), retry in %.0fs",
                        item.id, len(temporary), error, delay)
            await self._io(spool.retry, item.id, self.owner, temporary, permanent, delay,
                           error or "deferred")
        else:
            if await asyncio.wrap_future(
                spool.finish_later(item.id, self.owner, permanent, error)
            ):
                spool.remove_files(item.id)

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
