"""The relay worker: deliver queued spool rows upstream with retries.

Delivery is at least once. A row is claimed (``relaying``) before it is sent
and marked ``delivered`` right after the upstream's final ``250``; a crash in
between leaves a claimed row that is sent again after the restart, so the
upstream may see that message twice. That window is one SMTP reply plus one
commit per in-flight message; everything else is exactly once.

Upstream connections stay open between messages (at most
``relay_concurrency`` of them).

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

import aiosmtplib

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

    def __init__(self, store: Store, settings: GatewaySettings, io_pool: Executor) -> None:
        self.store = store
        self.settings = settings
        self.host, self.port = settings.upstream.host, settings.upstream.port
        self._io_pool = io_pool
        self._wake = asyncio.Event()
        self._slots = asyncio.Semaphore(settings.relay_concurrency)
        self._tasks: set[asyncio.Task[None]] = set()
        self._idle: list[aiosmtplib.SMTP] = []
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
        await self.close_connections()

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

    async def _connection(self) -> aiosmtplib.SMTP:
        """An open upstream connection: an idle one if there is one, else a new one."""
        while self._idle:
            smtp = self._idle.pop()
            if smtp.is_connected:
                return smtp
        smtp = aiosmtplib.SMTP(
            hostname=self.host, port=self.port, timeout=self.settings.upstream_timeout_seconds,
            start_tls=self.settings.upstream_starttls,
        )
        await smtp.connect()
        return smtp

    async def _send(self, item: SpoolItem, body: bytes) -> tuple[list[str], list[str], str | None]:
        """Send once: (recipients to retry, recipients failed for good, error summary).

        Connections are reused across messages; one that failed in any way is
        dropped, and a stale one (closed by the upstream while idle) counts as
        a temporary failure of that attempt.
        """
        smtp: aiosmtplib.SMTP | None = None
        try:
            smtp = await self._connection()
            refused, _ = await smtp.sendmail(item.mail_from, item.rcpts, body)
        except aiosmtplib.SMTPRecipientsRefused as exc:
            refused = {r.recipient: aiosmtplib.SMTPResponse(r.code, r.message)
                       for r in exc.recipients}
            await self._reset(smtp)
        except aiosmtplib.SMTPResponseException as exc:
            await self._reset(smtp)
            if exc.code >= 500:
                return [], list(item.rcpts), f"upstream {exc.code}"
            return list(item.rcpts), [], f"upstream {exc.code}"
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            self._drop(smtp)
            return list(item.rcpts), [], type(exc).__name__
        except BaseException:
            self._drop(smtp)
            raise
        else:
            self._idle.append(smtp)
        temporary = [rcpt for rcpt, reply in refused.items() if reply.code < 500]
        permanent = [rcpt for rcpt, reply in refused.items() if reply.code >= 500]
        codes = sorted({str(reply.code) for reply in refused.values()})
        return temporary, permanent, f"upstream {'/'.join(codes)}" if codes else None

    async def _reset(self, smtp: aiosmtplib.SMTP | None) -> None:
        """After a refused transaction: keep the connection if RSET works, else drop it."""
        if smtp is None:
            return
        try:
            await smtp.rset()
        except (aiosmtplib.SMTPException, OSError, TimeoutError):
            self._drop(smtp)
        else:
            self._idle.append(smtp)

    @staticmethod
    def _drop(smtp: aiosmtplib.SMTP | None) -> None:
        if smtp is not None:
            smtp.close()

    async def close_connections(self) -> None:
        """QUIT every idle upstream connection."""
        idle, self._idle = self._idle, []
        for smtp in idle:
            with contextlib.suppress(aiosmtplib.SMTPException, OSError, TimeoutError):
                await smtp.quit()
            smtp.close()

    def _audit_failed(self, spool_id: str, failed: list[str], error: str) -> None:
        """Record recipients that failed for good (masked)."""
        log.warning("relay %s: %d recipient(s) failed for good (%s)", spool_id, len(failed), error)
        self.store.audit.record(f"gateway:{self.owner}", "relay.failed", {
            "spool_id": spool_id, "rcpts": masked_addresses(failed), "error": error,
        })
