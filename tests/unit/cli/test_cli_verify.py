"""`crossguard verify`: create, list, show, revoke, decisions, purge; wrong input is exit 2."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "crossguard.cli"]


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "crossguard.toml"
    path.write_text('[store]\nurl = "sqlite:///data/crossguard.db"\nspool_dir = "data/spool"\n'
                    '[verify]\npublic_url = "https://verify.example.com"\n', encoding="utf-8")
    (tmp_path / "invite.csv").write_text(
        "customer_id,email\nC0000001,ana@cust.test\nC0000002,ben@cust.test\n", encoding="utf-8")
    return path


def run(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, "verify", *args, "--config", str(config)], capture_output=True,
                          text=True, cwd=config.parent, env=dict(os.environ), timeout=120,
                          check=False)


def test_campaign_lifecycle(config: Path) -> None:
    made = run(config, "campaign", "create", "invite.csv", "--name", "pre-order check",
               "--export", "links.csv", "--json")
    assert made.returncode == 0, made.stderr
    result = json.loads(made.stdout)
    assert result["items"] == 2 and result["sent"] == 0
    links = config.parent / "links.csv"
    assert stat.S_IMODE(links.stat().st_mode) == 0o600
    assert links.read_text().count("https://verify.example.com/verify/") == 2
    assert stat.S_IMODE((config.parent / "data").stat().st_mode) == 0o700
    assert stat.S_IMODE((config.parent / "data" / "crossguard.db").stat().st_mode) == 0o600

    listed = json.loads(run(config, "campaign", "list", "--json").stdout)
    assert [(c["id"], c["counts"]) for c in listed] == [(result["campaign_id"], {"pending": 2})]
    shown = run(config, "campaign", "show", result["campaign_id"])
    assert "C0000001       pending" in shown.stdout
    one = run(config, "campaign", "revoke", result["campaign_id"], "--customer", "C0000002")
    assert one.stdout.strip().endswith("1 unused links revoked"), one.stderr
    again = run(config, "campaign", "revoke", result["campaign_id"], "--customer", "C0000002")
    assert again.returncode == 2 and "is not an unused link" in again.stderr
    revoked = run(config, "campaign", "revoke", result["campaign_id"])
    assert revoked.stdout.strip().endswith("1 unused links revoked")
    assert run(config, "purge").stdout.strip() == "0 links expired, 0 uploads purged"
    exported = run(config, "decisions", "--out", "decisions.csv")
    assert exported.stdout.strip() == "0 decisions written to decisions.csv"


@pytest.mark.parametrize(("args", "message"), [
    (("campaign", "create", "invite.csv", "--name", "x"),
     "choose one of --send and --export FILE"),
    (("campaign", "create", "--name", "x", "--export", "l.csv"),
     "give a CSV file, or --sql-url with --query"),
    (("campaign", "create", "invite.csv", "--name", "x", "--send"),
     "verify.mail_from is not set"),
    (("campaign", "create", "bad.csv", "--name", "x", "--export", "l.csv"),
     "row 2: email is not an address"),
    (("campaign", "show", "nope"), "no verification campaign nope"),
])
def test_wrong_input_is_one_line_and_exit_2(config: Path, args: tuple[str, ...],
                                            message: str) -> None:
    (config.parent / "bad.csv").write_text("customer_id,email\nC1,ana\n", encoding="utf-8")
    result = run(config, *args)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert not (config.parent / "l.csv").exists()
