"""Prometheus metrics of the gateway and the milter, served on their own HTTP port.

``front`` labels every series (``gateway`` or ``milter``). Messages by action,
holds by rule, recipients relayed, deferred and failed, the spool's queue depth
(read from the store at each scrape), the check latency, and the CPU time of
the process's threads by pool (where the CPU goes, without a profiler). No
label ever carries an address or any content: actions, rule and thread names
only.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry, Counter, Histogram, start_http_server
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from crossguard.core.hostport import HostPort

log = logging.getLogger("crossguard.gateway")

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
                   30.0)


class QueueDepth(Collector):
    """``crossguard_mail_queue_depth{state}``: spool rows by state, read at scrape time."""

    def __init__(self, front: str, counts: Callable[[], dict[str, int]]) -> None:
        self.front = front
        self.counts = counts

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily("crossguard_mail_queue_depth",
                                   "Spool rows by state (queued, relaying, ...).",
                                   labels=["front", "state"])
        try:
            counts = self.counts()
        except Exception as error:  # a scrape never breaks the gateway
            log.warning("metrics: queue depth unavailable (%s)", type(error).__name__)
            counts = {}
        for state in ("queued", "relaying", *sorted(set(counts) - {"queued", "relaying"})):
            family.add_metric([self.front, state], counts.get(state, 0))
        yield family


#: A pool thread's number (``cg-check_1``), dropped so that a pool is one series.
_POOL_NUMBER = re.compile(r"_\d+$")


def cpu_seconds(stat: Path) -> float | None:
    """User + system CPU seconds in a Linux ``/proc/<pid>[/task/<tid>]/stat``, else None."""
    try:
        text = stat.read_text(encoding="ascii")
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class ThreadCpu(Collector):
    """``crossguard_thread_cpu_seconds_total{thread}``: CPU time of the live threads, by
    pool (``cg-check``, ``cg-commit``, ``cg-io``; ``MainThread`` runs the SMTP event
    loop), read at scrape time. Absent where /proc is not."""

    def __init__(self, front: str) -> None:
        self.front = front

    def collect(self) -> Iterator[CounterMetricFamily]:
        family = CounterMetricFamily("crossguard_thread_cpu_seconds",
                                     "CPU time of the process's threads, by pool.",
                                     labels=["front", "thread"])
        pools: dict[str, float] = {}
        for thread in threading.enumerate():
            seconds = None if thread.native_id is None else cpu_seconds(
                Path(f"/proc/self/task/{thread.native_id}/stat"))
            if seconds is not None:
                pool = _POOL_NUMBER.sub("", thread.name)
                pools[pool] = pools.get(pool, 0.0) + seconds
        for pool, seconds in sorted(pools.items()):
            family.add_metric([self.front, pool], seconds)
        yield family


class MailMetrics:
    """The collectors of one gateway or milter, in a registry of their own."""

    def __init__(self, front: str) -> None:
        self.front = front
        self._server: WSGIServer | None = None
        self.registry = CollectorRegistry(auto_describe=True)
        self.messages = Counter("crossguard_mail_messages", "Messages decided, by action "
                                "(allow, warn, redact, quarantine, reject, duplicate, error).",
                                ["front", "action"], registry=self.registry)
        self.held = Counter("crossguard_mail_held", "Messages held, by deciding rule.",
                            ["front", "rule"], registry=self.registry)
        self.recipients = Counter("crossguard_mail_recipients", "Recipients relayed upstream, "
                                  "by outcome (relayed, deferred, failed).",
                                  ["front", "outcome"], registry=self.registry)
        self.latency = Histogram("crossguard_mail_check_seconds",
                                 "Time to check one message (parse to verdict).", ["front"],
                                 buckets=LATENCY_BUCKETS, registry=self.registry)
        self.registry.register(ThreadCpu(front))

    def decided(self, action: str, held_rules: Sequence[str] = ()) -> None:
        """Count one message's decision (and the rules that held it)."""
        self.messages.labels(self.front, action).inc()
        for rule in held_rules:
            self.held.labels(self.front, rule).inc()

    def checked(self, seconds: float) -> None:
        """Observe one check's duration."""
        self.latency.labels(self.front).observe(seconds)

    def relayed(self, delivered: int, deferred: int, failed: int) -> None:
        """Count the recipients of one relay attempt."""
        for outcome, count in (("relayed", delivered), ("deferred", deferred),
                               ("failed", failed)):
            if count:
                self.recipients.labels(self.front, outcome).inc(count)

    def watch_queue(self, counts: Callable[[], dict[str, int]]) -> None:
        """Report the spool's rows by state at each scrape."""
        self.registry.register(QueueDepth(self.front, counts))

    def serve(self, listen: HostPort) -> int:
        """Serve ``/metrics`` on ``listen`` in a thread; the bound port."""
        self._server, _ = start_http_server(listen.port, listen.host, registry=self.registry)
        port = int(self._server.server_address[1])
        log.info("metrics on http://%s:%d/metrics", listen.host, port)
        return port

    def close(self) -> None:
        """Stop serving ``/metrics``."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
