"""Issue 16's defaults: init yields the documented settings; check's exit codes and notes."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from tests.unit.cli.test_cli import run

from crossguard.config import load_settings
from crossguard.config_doc import iter_settings, toml_value

DOCS = Path(__file__).parents[3] / "docs" / "configuration.md"
ROW = re.compile(r"^\| `([a-z0-9_.]+)` \| `(.*)` \| .*\|$")


def _documented() -> dict[str, str]:
    rows = (ROW.match(line) for line in DOCS.read_text(encoding="utf-8").splitlines())
    return {match[1]: match[2] for match in rows if match}


def test_init_writes_exactly_the_documented_defaults(tmp_path: Path) -> None:
    result = run("init", "--dir", str(tmp_path), env={"CROSSGUARD_KEY": ""})
    assert result.returncode == 0, result.stderr
    written = (tmp_path / "crossguard.toml").read_text(encoding="utf-8")
    assert "[policy.rules.cross_customer]" in written  # the empty tables that used to reset
    settings = load_settings(tmp_path / "crossguard.toml")
    documented = _documented()
    severities = {key: value for key, value in documented.items() if key.endswith(".severity")}
    assert severities["policy.rules.cross_customer.severity"] == '"critical"'
    assert severities["policy.rules.large_audience.severity"] == '"medium"'
    loaded = {key: toml_value(value) for key, value, _ in iter_settings(settings)}
    assert {key: loaded[key] for key in severities} == severities
    differing = {key for key, value in documented.items()
                 if key != "key_file" and loaded[key] != value}
    assert differing == set()


def _message(tmp_path: Path, make_mail: Callable[..., bytes], body: str) -> Path:
    path = tmp_path / "m.eml"
    path.write_bytes(make_mail(body, to=("someone@example.org",)))
    return path


def test_check_exit_codes_allow_warn_held(tmp_path: Path, built_index: Path,
                                          make_mail: Callable[..., bytes]) -> None:
    allow = run("check", str(_message(tmp_path, make_mail, "See you Monday.")),
                "--index", str(built_index))
    assert allow.returncode == 0, allow.stderr
    warn = run("check", str(_message(tmp_path, make_mail,
                                     "Please reply with a photo of your driver's licence.")),
               "--index", str(built_index))
    assert warn.returncode == 3, warn.stdout
    assert b"action: warn" in warn.stdout
    held = run("check", str(_message(tmp_path, make_mail, "Card 4111 1111 1111 1111.")),
               "--index", str(built_index))
    assert held.returncode == 1


def test_check_without_index_says_so(tmp_path: Path, make_mail: Callable[..., bytes]) -> None:
    path = _message(tmp_path, make_mail, "See you Monday.")
    result = run("check", str(path), cwd=tmp_path, env={"CROSSGUARD_CONFIG": ""})
    assert result.returncode == 0
    assert b"no customer index" in result.stderr


def test_input_that_is_not_a_message_exits_2_with_one_line(tmp_path: Path,
                                                          built_index: Path) -> None:
    binary = tmp_path / "random.bin"
    binary.write_bytes(os.urandom(3000))
    for path, stdin in ((str(binary), None), ("-", b"\x00\x01\x02 not mail at all\n")):
        result = run("check", path, "--index", str(built_index), stdin=stdin)
        assert result.returncode == 2
        lines = result.stderr.decode().strip().splitlines()
        assert len(lines) == 1 and "not a mail message" in lines[0]
