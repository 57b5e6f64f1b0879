"""The command-line contract: names, flags, exit codes 0/1/2, one error line, masked output."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from crossguard.synth.customers import Customer

CLI = [sys.executable, "-m", "crossguard.cli"]


def run(*args: str, stdin: bytes | None = None, cwd: Path | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*CLI, *args], input=stdin, capture_output=True, cwd=cwd,
                          env={**os.environ, **(env or {})}, timeout=120, check=False)


@pytest.fixture
def eml(tmp_path: Path, make_mail: Callable[..., bytes], customers: list[Customer]
        ) -> Callable[[str], Path]:
    def write(body: str) -> Path:
        path = tmp_path / "message.eml"
        path.write_bytes(make_mail(body, to=(customers[0].email,)))
        return path

    return write


def test_check_exit_codes(eml: Callable[[str], Path], built_index: Path,
                          customers: list[Customer]) -> None:
    clean = run("check", str(eml("See you on Monday.")), "--index", str(built_index))
    assert clean.returncode == 0, clean.stderr
    leak = run("check", str(eml(f"Licence {customers[1].driver_licence}")),
               "--index", str(built_index), "--json")
    assert leak.returncode == 1
    verdict = json.loads(leak.stdout)
    assert verdict["action"] == "quarantine"
    assert verdict["rules"][0]["rule"] == "cross_customer"
    assert customers[1].driver_licence not in leak.stdout.decode()
    assert set(verdict) >= {"action", "rules", "findings", "attributions", "notes", "timings_ms"}


def test_check_reads_stdin_and_envelope(built_index: Path, make_mail: Callable[..., bytes],
                                        customers: list[Customer]) -> None:
    raw = make_mail("Hello both", to=("care@example.com",))
    result = run("check", "-", "--index", str(built_index), "--json",
                 "--mail-from", "care@example.com",
                 "--rcpt", customers[0].email, "--rcpt", customers[1].email, stdin=raw)
    assert result.returncode == 0, result.stdout  # Bcc'd recipients are not visible to each other
    raw_visible = make_mail("Hello both", to=(customers[0].email, customers[1].email))
    result = run("check", "-", "--index", str(built_index), "--json", stdin=raw_visible)
    assert json.loads(result.stdout)["rules"][0]["rule"] == "visible_recipients"


def test_check_without_index_reports_findings(eml: Callable[[str], Path]) -> None:
    result = run("check", str(eml("card 4111 1111 1111 1111")))
    assert result.returncode == 1
    assert "4111 **** **** 1111" in result.stdout.decode()
    assert "4111 1111 1111 1111" not in result.stdout.decode()


def test_errors_are_one_line_and_exit_2(tmp_path: Path, eml: Callable[[str], Path]) -> None:
    missing = run("check", str(tmp_path / "nope.eml"))
    assert missing.returncode == 2
    broken = tmp_path / "broken.toml"
    broken.write_text("[policy.rules.cross_customer]\naction = 'explode'\n")
    result = run("check", str(eml("hi")), "--config", str(broken))
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1
    assert str(broken) in lines[0]
    assert "policy.rules.cross_customer.action" in lines[0]
    assert "'allow', 'warn', 'redact', 'quarantine' or 'reject'" in lines[0]
    not_toml = tmp_path / "bad.toml"
    not_toml.write_text("policy = [\n")
    result = run("check", str(eml("hi")), "--config", str(not_toml))
    assert result.returncode == 2
    assert "not valid TOML" in result.stderr.decode()


def test_an_incident_scan_of_a_folder_without_mail_is_an_error(tmp_path: Path,
                                                              built_index: Path) -> None:
    """A wrong folder (an attachments export, say) is not an incident where nobody was
    affected: one line, exit 2, no report."""
    (tmp_path / "export").mkdir()
    (tmp_path / "export" / "readme.txt").write_text("attachments only", encoding="utf-8")
    result = run("incident", "scan", str(tmp_path / "export"), "--index", str(built_index),
                 "--out", str(tmp_path / "out"), "--workers", "1")
    assert result.returncode == 2
    assert result.stderr.decode().strip().splitlines() == [
        f"crossguard: error: {tmp_path / 'export'}: no mail found "
        "(read: mbox, Maildir, .eml, .emlx or .msg)"]
    assert not (tmp_path / "out" / "summary.json").exists()


def test_wrong_key_is_a_clear_error(eml: Callable[[str], Path], built_index: Path) -> None:
    result = run("check", str(eml("hi")), "--index", str(built_index),
                 env={"CROSSGUARD_KEY": "ab" * 32})
    assert result.returncode == 2
    assert "built with another key" in result.stderr.decode()


def test_init_then_build_then_check(tmp_path: Path, customers: list[Customer],
                                    make_mail: Callable[..., bytes]) -> None:
    env = {"CROSSGUARD_KEY": ""}
    os.environ.pop("CROSSGUARD_KEY", None)
    result = run("init", "--dir", str(tmp_path), env=env)
    assert result.returncode == 0, result.stderr
    key = tmp_path / "crossguard.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert run("init", "--dir", str(tmp_path)).returncode == 2  # never overwrites silently
    from crossguard.synth.customers import write_customers_csv

    write_customers_csv(customers[:40], tmp_path / "customers.csv")
    clean_env = {k: v for k, v in os.environ.items() if k != "CROSSGUARD_KEY"}
    build = subprocess.run([*CLI, "index", "build", "customers.csv", "--out", "idx", "--json"],
                           cwd=tmp_path, env=clean_env, capture_output=True, check=False)
    assert build.returncode == 0, build.stderr
    assert json.loads(build.stdout)["customers"] == 40
    stats = subprocess.run([*CLI, "index", "stats", "idx", "--json"], cwd=tmp_path,
                           env=clean_env, capture_output=True, check=False)
    assert json.loads(stats.stdout)["customers"] == 40
    (tmp_path / "m.eml").write_bytes(make_mail(f"Phone {customers[3].phone}",
                                               to=(customers[4].email,)))
    check = subprocess.run([*CLI, "check", "m.eml", "--index", "idx", "--json"], cwd=tmp_path,
                           env=clean_env, capture_output=True, check=False)
    assert check.returncode == 1
    assert json.loads(check.stdout)["attributions"][0]["customer_id"] == customers[3].customer_id


def test_index_build_reports_per_field_and_strict_exits_2(tmp_path: Path) -> None:
    assert run("init", "--dir", str(tmp_path)).returncode == 0
    (tmp_path / "c.csv").write_text(
        "customer_id,name,address,postcode,country,dob,card\n"
        "A,María García,\"Calle Mayor 12, 3º B\",28013,ES,14/03/1990,4111 1111 1111 1112\n"
        "A,María García,,,ES,,\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "CROSSGUARD_KEY"}
    build = subprocess.run([*CLI, "index", "build", "c.csv", "--out", "idx", "--json"],
                           cwd=tmp_path, env=env, capture_output=True, check=False, text=True)
    assert build.returncode == 0, build.stderr
    report = json.loads(build.stdout)
    assert (report["customers"], report["duplicate_rows_merged"]) == (1, 1)
    assert report["fields"]["address"] == {"read": 1, "indexed": 1, "dropped": {}}
    assert report["fields"]["card"]["dropped"] == {"fails the Luhn check": 1}
    assert report["problems"] == ["line 2: dropped field card (fails the Luhn check)"]
    strict = subprocess.run([*CLI, "index", "build", "c.csv", "--out", "strict", "--strict"],
                            cwd=tmp_path, env=env, capture_output=True, check=False, text=True)
    assert strict.returncode == 2
    assert "dropped field card" in strict.stderr and "index not written" in strict.stderr
    assert not (tmp_path / "strict").exists()


def test_explain_lists_every_rule(eml: Callable[[str], Path], built_index: Path,
                                  customers: list[Customer]) -> None:
    result = run("explain", str(eml(f"Licence {customers[1].driver_licence}")),
                 "--index", str(built_index), "--json")
    assert result.returncode == 1
    rules = {row["rule"]: row for row in json.loads(result.stdout)["rules"]}
    assert rules["cross_customer"]["fired"] is True
    assert rules["visible_recipients"]["fired"] is False
    assert "limit 1" in rules["visible_recipients"]["reason"]
    assert len(rules) == 9


def test_html_body_and_pdf_attachment_findings_with_part_paths(tmp_path: Path) -> None:
    from email.message import EmailMessage

    from crossguard.synth import documents

    message = EmailMessage()
    message["From"] = "care@example.com"
    message["To"] = "someone@example.org"
    message["Subject"] = "Your statement"
    message.set_content("<p>Dear customer,</p><p>your statement is attached.</p>", subtype="html")
    pdf = documents.pdf([["Statement", "Card 4111 1111 1111 1111", "Phone +1 212 736 5000"]])
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename="statement.pdf")
    path = tmp_path / "statement.eml"
    path.write_bytes(message.as_bytes())
    result = run("check", str(path), "--json")
    assert result.returncode == 1
    findings = {(f["kind"], f["part"], f["masked"]) for f in json.loads(result.stdout)["findings"]}
    assert findings == {
        ("CARD", "2/attachment:statement.pdf", "4111 **** **** 1111"),
        ("PHONE", "2/attachment:statement.pdf", "+1 ***-***-5000"),
    }
