"""SIGKILL the gateway during a 500-message burst: nothing acknowledged is lost or doubled.

The client retries on 4xx and on dropped connections, like an MTA. After the
restart every message it saw accepted must arrive once or be held. The only
permitted duplicate is a message whose relay was in flight at the kill (its
row was ``relaying``): that is the documented at-least-once window.
"""

from __future__ import annotations

import json
import os
import signal
import smtplib
import subprocess
import sys
import threading
import time
from collections import Counter
from email.parser import BytesHeaderParser
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.integration.support.gateway import KEY_HEX, Sink, mail
from tests.integration.support.net import free_port, wait_until

from crossguard.store.models import SpoolEntry
from crossguard.store.settings import StoreSettings
from crossguard.store.store import Store

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TOTAL = 500


class Gateway:
    """``crossguard serve smtp`` as a child process."""

    def __init__(self, config: Path, port: int, log: Path) -> None:
        self.config, self.port, self.log = config, port, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [str(Path(sys.executable).parent / "crossguard"), "serve", "smtp",
                   "--config", str(self.config), "--listen", f"127.0.0.1:{self.port}"]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=log,
                                            env={**os.environ, "CROSSGUARD_KEY": KEY_HEX})
        assert wait_until(self._listening, timeout=60), self.log.read_text()

    def _listening(self) -> bool:
        try:
            with smtplib.SMTP("127.0.0.1", self.port, timeout=2) as client:
                return client.noop()[0] == 250
        except OSError:
            return False

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(30)


def client(port: int, jobs: list[int], accepted: set[str], lock: threading.Lock,
           stop: threading.Event) -> None:
    """Send each message until the gateway answers 2xx; retry on 4xx and dropped connections."""
    for n in jobs:
        msgid = f"burst-{n}@example.com"
        held = n % 10 == 0
        to = ["alice@cust.test", "bob@other.test"] if held else [f"c{n}@cust.test"]
        message = mail(msgid, to)
        while not stop.is_set():
            try:
                with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
                    smtp.sendmail("care@example.com", to, message)
                with lock:
                    accepted.add(f"<{msgid}>")
                break
            except (OSError, smtplib.SMTPException):
                time.sleep(0.1)


def test_sigkill_during_burst_loses_and_doubles_nothing(
    store_url: str, sink: Sink, tmp_path: Path
) -> None:
    config = tmp_path / "crossguard.toml"
    config.write_text(
        f'[store]\nurl = "{store_url}"\nspool_dir = "{tmp_path / "spool"}"\n'
        f'[gateway]\nupstream = "127.0.0.1:{sink.port}"\ninstance = "gw-crash"\n'
        f"poll_seconds = 0.2\nretry_base_seconds = 0.2\nretry_max_seconds = 1.0\n"
        "notify_sender = false\n"  # count the burst only, not hold notices
        "[policy.rules.bulk_send]\nmode = \"sender\"\nmax_recipients = 100000\n",
        encoding="utf-8",
    )
    gateway = Gateway(config, free_port(), tmp_path / "gateway.log")
    gateway.start()
    accepted: set[str] = set()
    lock, stop = threading.Lock(), threading.Event()
    threads = [threading.Thread(target=client, daemon=True,
                                args=(gateway.port, list(range(i, TOTAL, 4)), accepted, lock,
                                      stop))
               for i in range(4)]
    try:
        for thread in threads:
            thread.start()
        assert wait_until(lambda: len(accepted) >= TOTAL // 3, timeout=120)
        gateway.kill()
        in_flight = relaying_message_ids(store_url, tmp_path / "spool")
        gateway.start()
        for thread in threads:
            thread.join(300)
        assert len(accepted) == TOTAL
        expected_delivered = {m for m in accepted if int(m[7:].split("@")[0]) % 10}
        assert sink.wait_for(len(expected_delivered), timeout=120)
        time.sleep(1.0)
    finally:
        stop.set()
        gateway.stop()
    arrivals = Counter(sink.message_ids())
    lost = expected_delivered - set(arrivals)
    doubled = {msgid for msgid, count in arrivals.items() if count > 1}
    store = Store(StoreSettings(url=store_url, spool_dir=tmp_path / "spool"), secret_key=None)
    try:
        held = Counter(entry.message_id for entry in store.quarantine.list(limit=TOTAL))
        chain = store.audit.verify()
    finally:
        store.close()
    print(json.dumps({"accepted": len(accepted), "delivered": len(arrivals), "lost": len(lost),
                      "doubled": len(doubled), "in_flight_at_kill": len(in_flight),
                      "held": len(held)}))
    assert lost == set()
    assert set(arrivals) <= expected_delivered
    assert doubled <= in_flight, "only a relay in flight at the kill may arrive twice"
    assert set(held) == accepted - expected_delivered and max(held.values()) == 1
    assert chain.ok
    assert "alice@cust.test" not in gateway.log.read_text()


def relaying_message_ids(url: str, spool_dir: Path) -> set[str]:
    """Message-IDs of rows whose relay was in flight when the gateway died."""
    store = Store(StoreSettings(url=url, spool_dir=spool_dir), secret_key=None)
    try:
        with store.sessions() as session:
            ids = session.scalars(select(SpoolEntry.id).where(SpoolEntry.state == "relaying"))
            bodies = [store.spool.body(spool_id) for spool_id in ids]
    finally:
        store.close()
    return {str(BytesHeaderParser().parsebytes(body)["Message-ID"]) for body in bodies}
