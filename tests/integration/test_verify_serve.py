"""`crossguard serve api` expires links and purges old uploads on its own (verify.sweep_seconds)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from crossguard.config import load_settings
from crossguard.store.store import Store
from crossguard.verify import campaigns, items
from crossguard.verify.base import VerifyContext
from crossguard.verify.models import VerifyItem

pytestmark = pytest.mark.integration


def test_serve_api_sweeps_without_anyone_looking(tmp_path: Path) -> None:
    config = tmp_path / "crossguard.toml"
    config.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "data" / "cg.db"}"\n'
                      f'spool_dir = "{tmp_path / "sp"}"\n'
                      '[verify]\nsweep_seconds = 0.5\nretention_days = 0.00001\n',
                      encoding="utf-8")
    settings = load_settings(config)
    store = Store.from_settings(settings)
    ctx = VerifyContext.of(store, settings.secret_key(), settings.verify)
    _, (_unused, kept) = campaigns.create(ctx, "sweep", ["C1", "C2"], actor="t", days=0.00001)
    uploaded = items.accept(ctx, kept.token, b"\xff\xd8\xff" + b"z" * 500, "jpeg", None)
    assert uploaded is not None
    store.close()
    time.sleep(1.0)  # both are now past their dates; nothing has swept yet
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "crossguard.cli", "serve", "api", "--listen",
         f"127.0.0.1:{port}", "--config", str(config)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ), cwd=tmp_path)
    try:
        deadline = time.monotonic() + 60
        while True:  # only the health check is asked: no view that sweeps is opened
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline and process.poll() is None, "did not start"
            time.sleep(0.2)
        store = Store.from_settings(settings)
        try:
            deadline = time.monotonic() + 30
            while True:
                with store.reads() as session:
                    rows = {row.customer_id: row for row in session.scalars(select(VerifyItem))}
                if all(row.state == "expired" for row in rows.values()):
                    break
                assert time.monotonic() < deadline, {k: r.state for k, r in rows.items()}
                time.sleep(0.2)
            assert rows["C2"].upload is None and rows["C2"].purged_at is not None
            events = [entry.event for entry in store.audit.entries(limit=100)]
            assert "verify.links_expired" in events and "verify.purge" in events
        finally:
            store.close()
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
    assert process.returncode in (0, -signal.SIGTERM)
