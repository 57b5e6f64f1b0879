"""The commands: `token create|list|revoke`, `user add|list|passwd|delete`, and `serve api`
as a real process on 127.0.0.1."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from tests.integration.support.api import KEY_HEX
from tests.integration.support.net import free_port

from crossguard.cli.main import cli
from crossguard.config import load_settings
from crossguard.core.private import write_private
from crossguard.errors import StoreError
from crossguard.store.access import Access
from crossguard.store.store import Store

pytestmark = pytest.mark.integration


def write_config(folder: Path) -> Path:
    write_private(folder / "crossguard.key", KEY_HEX)
    (folder / "reports" / "case-1").mkdir(parents=True)
    (folder / "reports" / "case-1" / "report.html").write_text("<h1>case 1</h1>")
    config = folder / "crossguard.toml"
    config.write_text(
        'key_file = "crossguard.key"\n'
        f'[store]\nurl = "sqlite:///{folder / "store.db"}"\nspool_dir = "{folder / "spool"}"\n'
        '[api]\nsecure_cookies = false\nreports_dir = "reports"\n', encoding="utf-8")
    return config


def test_token_create_prints_the_token_once(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    result = CliRunner().invoke(cli, ["token", "create", "--role", "reviewer", "--config",
                                      str(config)])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert token.startswith("cgt_") and "shown only this once" in result.stderr
    store = Store.from_settings(load_settings(config), need_key=False)
    try:
        principal = Access(store.sessions).authenticate_token(token)
    finally:
        store.close()
    assert principal is not None and principal.role == "reviewer"
    bad = CliRunner().invoke(cli, ["token", "create", "--role", "root", "--config", str(config)])
    assert bad.exit_code == 2


def test_user_add_reads_the_password_from_stdin(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    result = CliRunner().invoke(cli, ["user", "add", "rita", "--role", "admin",
                                      "--password-stdin", "--config", str(config)],
                                input="a long passphrase\n")
    assert result.exit_code == 0, result.output
    assert "passphrase" not in result.output
    store = Store.from_settings(load_settings(config), need_key=False)
    try:
        assert Access(store.sessions).login("rita", "a long passphrase") is not None
    finally:
        store.close()


def test_user_add_prompts_twice(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    result = CliRunner().invoke(cli, ["user", "add", "sam", "--config", str(config)],
                                input="a long passphrase\na long passphrase\n")
    assert result.exit_code == 0, result.output


def test_token_list_and_revoke(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    runner = CliRunner()
    token = runner.invoke(cli, ["token", "create", "--role", "checker", "--label", "helpdesk",
                                "--config", str(config)]).stdout.strip()
    listed = runner.invoke(cli, ["token", "list", "--json", "--config", str(config)])
    assert listed.exit_code == 0 and token not in listed.output
    (row,) = json.loads(listed.stdout)
    assert row["role"] == "checker" and row["label"] == "helpdesk"
    revoke = ["token", "revoke", row["id"], "--config", str(config)]
    assert runner.invoke(cli, revoke).exit_code == 0
    again = runner.invoke(cli, revoke)  # main() turns this StoreError into one line and exit 2
    assert isinstance(again.exception, StoreError) and "no token" in str(again.exception)
    store = Store.from_settings(load_settings(config), need_key=False)
    try:
        assert Access(store.sessions).authenticate_token(token) is None
        events = [entry.event for entry in store.audit.entries()]
    finally:
        store.close()
    assert events == ["access.token_create", "access.token_revoke"]


def test_user_list_passwd_and_delete(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    runner = CliRunner()
    runner.invoke(cli, ["user", "add", "rita", "--password-stdin", "--config", str(config)],
                  input="a long passphrase\n")
    listed = runner.invoke(cli, ["user", "list", "--config", str(config)])
    assert listed.exit_code == 0 and listed.stdout.startswith("rita  reviewer")
    changed = runner.invoke(cli, ["user", "passwd", "rita", "--password-stdin",
                                  "--config", str(config)], input="another passphrase\n")
    assert changed.exit_code == 0, changed.output
    store = Store.from_settings(load_settings(config), need_key=False)
    try:
        access = Access(store.sessions)
        assert access.login("rita", "a long passphrase") is None
        assert access.login("rita", "another passphrase") is not None
    finally:
        store.close()
    assert runner.invoke(cli, ["user", "delete", "rita", "--config", str(config)]).exit_code == 0
    gone = runner.invoke(cli, ["user", "delete", "rita", "--config", str(config)])
    assert isinstance(gone.exception, StoreError) and "no user" in str(gone.exception)
    assert runner.invoke(cli, ["user", "list", "--config", str(config)]).stdout == ""


def test_serve_api_runs_until_sigterm(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    port = free_port()
    token = CliRunner().invoke(cli, ["token", "create", "--role", "admin", "--config",
                                     str(config)]).stdout.strip()
    process = subprocess.Popen(
        [sys.executable, "-m", "crossguard.cli", "serve", "api", "--listen",
         f"127.0.0.1:{port}", "--config", str(config)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline and process.poll() is None, "server did not start"
            time.sleep(0.2)
        headers = {"authorization": f"Bearer {token}"}
        ready = httpx.get(f"{url}/readyz").json()
        listed = httpx.get(f"{url}/v1/quarantine", headers=headers)
        schema = httpx.get(f"{url}/openapi.json").json()
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    assert ready["checks"]["store"] == "ok" and ready["checks"]["index"] == "none"
    assert listed.status_code == 200 and listed.json()["total"] == 0
    assert "/v1/check" in schema["paths"]
    # uvicorn shuts down gracefully, then re-raises the signal it caught
    assert process.returncode in (0, -signal.SIGTERM)
    assert b"Finished server process" in stderr
    assert b"/v1/quarantine" not in stderr  # no access log
