"""The gateway process: SMTP listener, check and I/O pools, relay worker, recovery."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from crossguard.errors import ConfigError
from crossguard.gateway.acceptor import Acceptor
from crossguard.gateway.auth import Authenticator, check_auth_tls
from crossguard.gateway.checker import Checker
from crossguard.gateway.clients import ClientPolicy, refuse_open_relay
from crossguard.gateway.handler import GatewayHandler
from crossguard.gateway.limits import ConnectionLimits
from crossguard.gateway.metrics import MailMetrics
from crossguard.gateway.notice import Notifier
from crossguard.gateway.relay import RelayWorker
from crossguard.gateway.security import PasswordFile, tls_context
from crossguard.gateway.settings import GatewaySettings
from crossguard.gateway.smtp import GatewaySMTP
from crossguard.store.retention import purge
from crossguard.store.store import Store

log = logging.getLogger("crossguard.gateway")
RETENTION_INTERVAL_SECONDS = 3600.0


def instance_name(settings: GatewaySettings) -> str:
    """This instance's name in the shared store: configured, else ``host:port``."""
    return settings.instance or f"{socket.gethostname()}:{settings.listen}"


class Gateway:
    """One SMTP gateway instance bound to a store and a checker.

    ``store_pool`` is the store's connection pool size: the I/O pool matches it
    (at least 4 threads).
    """

    def __init__(self, settings: GatewaySettings, checker: Checker, store: Store, *,
                 store_pool: int, notifier: Notifier | None = None,
                 retention_days: float | None = None) -> None:
        self.settings = gateway = settings
        self.store = store
        self._check_pool = ThreadPoolExecutor(gateway.check_workers, "cg-check")
        self._io_pool = ThreadPoolExecutor(max(4, store_pool), "cg-io")
        self._auth_pool = ThreadPoolExecutor(gateway.auth_workers, "cg-auth")
        self.limits = ConnectionLimits(gateway.max_connections,
                                       gateway.max_connections_per_client)
        self.metrics = MailMetrics("gateway")
        self.metrics.watch_queue(store.spool.counts)
        self.relay = RelayWorker(store, gateway, self._io_pool, metrics=self.metrics)
        acceptor = Acceptor(store, checker, gateway, self._check_pool, self._io_pool, notifier,
                            self.metrics, self.relay)
        self.clients = ClientPolicy(gateway)
        self.handler = GatewayHandler(acceptor, self.relay, self.clients)
        self._server: asyncio.Server | None = None
        self._relay_task: asyncio.Task[None] | None = None
        self.port = 0
        self.metrics_port = 0
        self._retention_days = retention_days
        self._retention_task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Replay the spool, then listen and relay."""
        loop = asyncio.get_running_loop()
        recovered = await loop.run_in_executor(self._io_pool, self.store.spool.recover)
        log.info("spool recovery: %s", recovered)
        gateway = self.settings
        context = tls_context(gateway)
        plaintext_auth = check_auth_tls(gateway, gateway.listen)
        verifier = self._authenticator()
        host, port = gateway.listen.host, gateway.listen.port
        refuse_open_relay(gateway, host)

        def factory() -> GatewaySMTP:
            return GatewaySMTP(
                self.handler, data_size_limit=gateway.max_message_bytes, enable_SMTPUTF8=True,
                decode_data=False, hostname=gateway.hostname or None, ident="crossguard",
                tls_context=context, require_starttls=gateway.require_starttls,
                # with an allow-list, listed clients send without AUTH (ClientPolicy at MAIL);
                # AUTH is offered only with an auth file, and only after STARTTLS unless
                # plaintext AUTH on loopback was asked for (tests).
                verifier=verifier,
                auth_required=verifier is not None and not self.clients.restricted,
                plaintext_auth=plaintext_auth, loop=loop, limits=self.limits,
                max_recipients=gateway.max_recipients,
            )

        try:
            self._server = await loop.create_server(factory, host, port)
        except OSError as error:
            raise ConfigError(
                f"gateway.listen {gateway.listen}: cannot listen ({error.strerror or error})"
            ) from None
        self.port = self._server.sockets[0].getsockname()[1]
        self._relay_task = asyncio.create_task(self.relay.run())
        if self._retention_days is not None:
            self._retention_task = asyncio.create_task(self._purge_hourly(self._retention_days))
        if gateway.metrics_listen is not None:
            self.metrics_port = self.metrics.serve(gateway.metrics_listen)
        log.info("listening on %s:%d, relaying to %s", host, self.port, gateway.upstream)

    def _authenticator(self) -> Authenticator | None:
        """AUTH against ``gateway.auth_file``, audited in the store; None without one."""
        if self.settings.auth_file is None:
            return None
        actor = f"gateway:{self.store.instance}"

        def audit(payload: dict[str, object]) -> None:
            self.store.audit.record(actor, "auth.failed", payload)

        return Authenticator(PasswordFile(self.settings.auth_file), self.settings,
                             self._auth_pool, audit, self._io_pool)

    async def stop(self) -> None:
        """Stop listening, finish in-flight relays, release pools and connections."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        if self._relay_task is not None:
            self._relay_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._relay_task
        if self._retention_task is not None:
            self._retention_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._retention_task
        await self.relay.stop()
        self.metrics.close()
        self._check_pool.shutdown(wait=False, cancel_futures=True)
        self._auth_pool.shutdown(wait=False, cancel_futures=True)
        self._io_pool.shutdown(wait=True)
        self.store.close()

    async def _purge_hourly(self, days: float) -> None:
        """Empty bodies older than the retention period, now and every hour (audited)."""
        loop = asyncio.get_running_loop()
        actor = f"gateway:{self.store.instance}"
        while True:
            try:
                purged = await loop.run_in_executor(
                    self._io_pool, partial(purge, self.store.sessions, days, actor=actor))
                if purged.bodies or purged.spool_bodies:
                    log.info("retention: emptied %d quarantine and %d spool bodies",
                             purged.bodies, purged.spool_bodies)
            except Exception as error:  # retry at the next hour
                log.error("retention purge failed (%s)", type(error).__name__)
            await asyncio.sleep(RETENTION_INTERVAL_SECONDS)

    async def serve(self, stop: asyncio.Event) -> None:
        """Start, run until ``stop`` is set, then stop (``crossguard serve smtp`` runs this)."""
        try:
            await self.start()
        except BaseException:
            await self.stop()
            raise
        try:
            await stop.wait()
        finally:
            await self.stop()


class BackgroundGateway:
    """A gateway on its own event loop in a thread: for embedding, tests and benchmarks."""

    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def start(self) -> int:
        """Start serving; return the bound port."""
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.gateway.start(), self._loop).result(30)
        return self.gateway.port

    def stop(self) -> None:
        """Stop serving and join the thread."""
        asyncio.run_coroutine_threadsafe(self.gateway.stop(), self._loop).result(60)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(30)
        self._loop.close()

    def __enter__(self) -> BackgroundGateway:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
