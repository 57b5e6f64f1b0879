"""The routing audit fails the incident's configuration with no configuration at all."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.unit.cli.test_cli import run

from crossguard import demo
from crossguard.routing import Directory, Group
from crossguard.routing.audit import audit


def test_demo_virtual_file_fails_high_with_the_default_config(tmp_path: Path) -> None:
    demo.prepare(tmp_path)
    virtual = tmp_path / "virtual"
    assert oct(virtual.stat().st_mode & 0o777) == "0o600"
    env = {"CROSSGUARD_CONFIG": "", "CROSSGUARD_KEY": ""}
    workdir = tmp_path / "elsewhere"  # no crossguard.toml: every setting is the default
    workdir.mkdir()
    result = run("routing", "audit", "--postfix-virtual", str(virtual), "--fail-on", "high",
                 "--format", "json", cwd=workdir, env=env)
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert [(f["severity"], f["code"], f["address"]) for f in findings] == [
        ("high", "customer_fanout", "preorder-support@example.com")]
    assert "200 external recipients" in findings[0]["detail"]
    # The demo's index was built with $CROSSGUARD_KEY when set, else its key file.
    key = os.environ.get("CROSSGUARD_KEY") or (tmp_path / "crossguard.key").read_text().strip()
    indexed = run("routing", "audit", "--postfix-virtual", str(virtual), "--index",
                  str(tmp_path / "index"), cwd=workdir, env={**env, "CROSSGUARD_KEY": key})
    assert indexed.returncode == 1
    assert b"reaches 200 customer(s) of the index" in indexed.stdout
    assert "@yahoo.com," not in indexed.stdout.decode()  # members stay masked


def _alias(*members: str) -> Group:
    return Group("help@shop.example", members, (), "anyone", "sender", None, True, "t:1", "alias")


def test_alias_to_customers_is_high_with_an_index_whatever_their_number() -> None:
    directory = Directory([_alias("ana@mail.example", "accountant@firm.example")],
                          ["shop.example"])
    findings = audit(directory, is_customer=lambda address: address == "ana@mail.example")
    assert [(f.severity, f.code) for f in findings] == [("high", "customer_fanout")]
    assert "1 customer(s) of the index among its 2 external recipients" in findings[0].detail
    assert [(f.severity, f.code) for f in audit(directory, is_customer=lambda _: False)] == [
        ("medium", "external_forward")]


def test_without_an_index_more_than_n_external_recipients_is_high() -> None:
    few = Directory([_alias(*(f"c{n}@mail.example" for n in range(10)))], ["shop.example"])
    many = Directory([_alias(*(f"c{n}@mail.example" for n in range(11)))], ["shop.example"])
    assert [f.code for f in audit(few)] == ["external_forward"]
    assert [(f.severity, f.code) for f in audit(many)] == [("high", "customer_fanout")]
