"""The gateway's thread CPU series: one per pool, summing the pool's live threads."""

from __future__ import annotations

import threading
import time

from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from crossguard.gateway.metrics import MailMetrics

BURN_SECONDS = 0.06


def test_a_pools_threads_are_one_series_with_their_cpu_summed() -> None:
    burned = threading.Barrier(3)
    done = threading.Event()

    def burn() -> None:
        start = time.thread_time()
        while time.thread_time() - start < BURN_SECONDS:
            pass
        burned.wait(30)
        done.wait(30)

    workers = [threading.Thread(target=burn, name=f"cg-burn_{n}") for n in range(2)]
    for worker in workers:
        worker.start()
    try:
        burned.wait(30)
        text = generate_latest(MailMetrics("gateway").registry).decode()
    finally:
        done.set()
        for worker in workers:
            worker.join(30)
    samples = {sample.labels["thread"]: sample.value
               for family in text_string_to_metric_families(text)
               for sample in family.samples if sample.name == "crossguard_thread_cpu_seconds_total"}
    assert not any(name.startswith("cg-burn_") for name in samples)
    # two threads of at least 60 ms each, read in clock ticks of 10 ms at most
    assert samples["cg-burn"] >= 2 * BURN_SECONDS - 0.02
    assert "MainThread" in samples
