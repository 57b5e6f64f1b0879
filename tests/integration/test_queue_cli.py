"""`crossguard queue list|show|retry` on a running gateway's store: a deferred message is
listed masked and, retried, is delivered without waiting out its backoff."""

from __future__ import annotations

import json
import smtplib
from pathlib import Path

from click.testing import CliRunner
from tests.integration.support.gateway import (
    MakeDatabase,
    MakeGateway,
    Sink,
    gateway_settings,
    mail,
)
from tests.integration.support.net import wait_until

from crossguard.cli.root import cli


def test_queue_list_show_retry(tmp_path: Path, sink: Sink, make_database: MakeDatabase,
                               make_gateway: MakeGateway) -> None:
    url = make_database("sqlite")
    settings = gateway_settings(url, tmp_path / "spool", sink.port, retry_base_seconds=600,
                                retry_max_seconds=600)
    runner = make_gateway(settings)
    config = tmp_path / "crossguard.toml"
    config.write_text(f'[store]\nurl = "{url}"\nspool_dir = "{tmp_path / "spool"}"\n',
                      encoding="utf-8")
    sink.defer["alice@cust.test"] = 1
    with smtplib.SMTP("127.0.0.1", runner.gateway.port, timeout=30) as client:
        client.sendmail("care@example.com", ["alice@cust.test"],
                        mail("q-1@example.com", ["alice@cust.test"]))
    cli_runner = CliRunner()

    def listed() -> list[dict[str, object]]:
        result = cli_runner.invoke(cli, ["queue", "list", "--json", "--config", str(config)])
        assert result.exit_code == 0, result.output
        return list(json.loads(result.output))

    assert wait_until(lambda: [item["attempts"] for item in listed()] == [1])
    [item] = listed()
    assert item["state"] == "queued" and item["rcpts"] == ["a***@cust.test"]
    assert item["last_error"] == "upstream 450"
    shown = cli_runner.invoke(cli, ["queue", "show", str(item["id"]), "--config", str(config)])
    assert "last error:   upstream 450" in shown.output and "alice@" not in shown.output
    assert not sink.wait_for(1, timeout=1.5), "backoff is 600 s"
    retried = cli_runner.invoke(cli, ["queue", "retry", str(item["id"]), "--actor", "ops",
                                      "--config", str(config)])
    assert retried.exit_code == 0, retried.output
    assert sink.wait_for(1, timeout=10)
    events = [entry.event for entry in runner.gateway.store.audit.entries()]
    assert "queue.retry" in events
    again = cli_runner.invoke(cli, ["queue", "retry", str(item["id"]), "--config", str(config)])
    assert again.exit_code != 0 and "is delivered, not queued" in str(again.exception)
