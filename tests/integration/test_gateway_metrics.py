"""Prometheus metrics of a running gateway: decisions, holds by rule, relay outcomes,
queue depth, check latency and thread CPU, scraped over HTTP; no address in any of it."""

from __future__ import annotations

import smtplib
import urllib.request
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families
from tests.integration.support.gateway import (
    MakeDatabase,
    MakeGateway,
    Sink,
    gateway_settings,
    mail,
)
from tests.integration.support.net import wait_until


def scrape(port: int) -> tuple[str, dict[tuple[str, tuple[tuple[str, str], ...]], float]]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        text = response.read().decode()
    samples = {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
               for family in text_string_to_metric_families(text) for sample in family.samples}
    return text, samples


def test_gateway_metrics(tmp_path: Path, sink: Sink, make_database: MakeDatabase,
                         make_gateway: MakeGateway) -> None:
    settings = gateway_settings(make_database("sqlite"), tmp_path / "spool", sink.port,
                                metrics_listen="127.0.0.1:0")
    runner = make_gateway(settings)
    port = runner.gateway.metrics_port
    assert port > 0
    sink.defer["alice@cust.test"] = 1  # one deferral, then delivered
    with smtplib.SMTP("127.0.0.1", runner.gateway.port, timeout=30) as client:
        client.sendmail("care@example.com", ["alice@cust.test"],
                        mail("m-1@example.com", ["alice@cust.test"]))
        two = ["bob@cust.test", "carol@other.test"]
        client.sendmail("care@example.com", two, mail("m-2@example.com", two))
    assert sink.wait_for(1)

    def relayed() -> bool:
        return scrape(port)[1].get(
            ("crossguard_mail_recipients_total", (("front", "gateway"), ("outcome", "relayed"))),
            0) == 1

    assert wait_until(relayed)
    text, samples = scrape(port)

    def value(name: str, **labels: str) -> float:
        return samples.get((name, tuple(sorted({"front": "gateway", **labels}.items()))), 0.0)

    assert value("crossguard_mail_messages_total", action="allow") == 1
    assert value("crossguard_mail_messages_total", action="quarantine") == 1
    assert value("crossguard_mail_held_total", rule="visible_recipients") == 1
    assert value("crossguard_mail_recipients_total", outcome="deferred") == 1
    assert value("crossguard_mail_recipients_total", outcome="failed") == 0
    assert value("crossguard_mail_queue_depth", state="queued") == 0
    assert value("crossguard_mail_queue_depth", state="delivered") == 1
    assert value("crossguard_mail_check_seconds_count") == 2
    pools = {dict(labels)["thread"] for name, labels in samples
             if name == "crossguard_thread_cpu_seconds_total"}
    assert {"cg-check", "cg-commit", "cg-io"} <= pools  # one series a pool, not a thread
    assert "@" not in text, "no address in the metrics"
