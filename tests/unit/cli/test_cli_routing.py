"""`crossguard routing audit`: every input option, output format and exit code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crossguard.cli.main import cli

FIXTURES = Path(__file__).parents[2] / "fixtures" / "routing"
CONFIG = str(FIXTURES / "crossguard.toml")


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["routing", "audit", "--config", CONFIG, *args])
    return result.exit_code, result.stdout, result.stderr


def test_incident_exits_1_and_names_the_critical_finding() -> None:
    code, out, _ = _run("--directory", str(FIXTURES / "incident.yaml"))
    assert code == 1
    assert "[CRITICAL] care_reply_fanout: support@company.example" in out
    assert "fix: send customer care from a mailbox" in out


def test_clean_directory_exits_0() -> None:
    code, out, _ = _run("--directory", str(FIXTURES / "safe.yaml"))
    assert code == 0
    assert "0 findings (none)" in out


@pytest.mark.parametrize(("fail_on", "expected"), [("critical", 1), ("low", 1)])
def test_fail_on_threshold(fail_on: str, expected: int) -> None:
    code, _, _ = _run("--directory", str(FIXTURES / "incident.yaml"), "--fail-on", fail_on)
    assert code == expected


def test_fail_on_above_every_finding_exits_0() -> None:
    code, out, _ = _run("--postfix-aliases", str(FIXTURES / "postfix" / "aliases"),
                        "--fail-on", "high")
    assert code == 0
    assert "external_forward: billing@company.example" in out


def test_every_vendor_option_reads_its_format() -> None:
    code, out, _ = _run(
        "--postfix-virtual", str(FIXTURES / "postfix" / "virtual"),
        "--postfix-aliases", str(FIXTURES / "postfix" / "aliases"),
        "--workspace-groups", str(FIXTURES / "workspace" / "groups.json"),
        "--m365-groups", str(FIXTURES / "m365" / "groups.csv"),
        "--m365-groups", str(FIXTURES / "m365" / "members.csv"),
        "--format", "json",
    )
    assert code == 1
    report = json.loads(out)
    sources = {f["source"].split("routing/")[1].split(":")[0] for f in report["findings"]}
    assert sources == {"postfix/virtual", "postfix/aliases", "workspace/groups.json",
                       "m365/groups.csv"}
    problem_files = {p["source"].split("routing/")[1].split(":")[0] for p in report["problems"]}
    assert problem_files == {"postfix/virtual", "postfix/aliases", "workspace/groups.json",
                             "m365/groups.csv", "m365/members.csv"}


@pytest.mark.parametrize(
    ("fmt", "marker"),
    [("text", "[CRITICAL]"), ("md", "| critical | care_reply_fanout |"),
     ("html", '<tr class="critical">'), ("json", '"severity": "critical"')],
)
def test_formats(fmt: str, marker: str) -> None:
    code, out, _ = _run("--directory", str(FIXTURES / "incident.yaml"), "--format", fmt)
    assert code == 1
    assert marker in out


def test_json_summary_counts() -> None:
    _, out, _ = _run("--directory", str(FIXTURES / "incident.yaml"), "--format", "json")
    summary = json.loads(out)["summary"]
    assert summary == {"groups": 2, "aliases": 1, "critical": 2, "high": 1, "medium": 0,
                       "low": 1, "info": 0}


def test_care_sender_option_and_company_domain_override(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text("groups:\n  - address: desk@shop.example\n    members: [c@mail.example]\n"
                    "    owners: [boss@shop.example]\n    who_can_post: members\n",
                    encoding="utf-8")
    code, out, _ = _run("--directory", str(path), "--company-domain", "shop.example",
                        "--care-sender", "desk@shop.example", "--fail-on", "critical")
    assert code == 1
    assert "care_reply_fanout: desk@shop.example" in out


def test_missing_file_exits_2_with_one_line() -> None:
    code, out, err = _run("--directory", str(FIXTURES / "absent.yaml"))
    assert code == 2
    assert out == ""
    assert err.strip().splitlines() == [f"crossguard: error: {FIXTURES / 'absent.yaml'}: "
                                        "no such file"]


def test_no_input_exits_2(tmp_path: Path) -> None:
    config = tmp_path / "empty.toml"
    config.write_text("", encoding="utf-8")
    result = CliRunner().invoke(cli, ["routing", "audit", "--config", str(config)])
    assert result.exit_code == 2


def test_bad_config_exits_2(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("[routing]\nmax_depth = 'deep'\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["routing", "audit", "--config", str(config),
                                      "--directory", str(FIXTURES / "safe.yaml")])
    assert result.exit_code == 2
    assert "routing.max_depth" in result.stderr


def test_directory_from_config_is_audited(tmp_path: Path) -> None:
    config = tmp_path / "crossguard.toml"
    incident = FIXTURES / "incident.yaml"
    config.write_text(
        f'[policy]\ncompany_domains = ["company.example"]\ndirectory = ["{incident}"]\n'
        '[routing]\ncare_senders = ["support@company.example"]\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["routing", "audit", "--config", str(config)])
    assert result.exit_code == 1
    assert "care_reply_fanout" in result.stdout
