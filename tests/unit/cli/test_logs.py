"""--log-format json: one JSON object per line, the exception's type and never its text."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from crossguard.cli.logs import setup_logging
from crossguard.cli.root import cli


@pytest.fixture
def restore_root() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_lines_carry_the_exception_type_only(
    capsys: pytest.CaptureFixture[str], restore_root: None,
) -> None:
    setup_logging("json", "INFO")
    log = logging.getLogger("crossguard.milter")
    log.info("milter %s: quarantine rules=%s", "4Xk2", "cross_customer")
    log.debug("not at INFO")
    try:
        raise ValueError("jane.doe@example.com")
    except ValueError:
        log.exception("check failed")
    lines = capsys.readouterr().err.strip().splitlines()
    first, second = (json.loads(line) for line in lines)
    assert first["level"] == "INFO" and first["logger"] == "crossguard.milter"
    assert first["msg"] == "milter 4Xk2: quarantine rules=cross_customer"
    assert second["exc_type"] == "ValueError" and "jane.doe" not in lines[1]
    assert logging.getLogger("mail.log").level == logging.WARNING


def test_level_filters(capsys: pytest.CaptureFixture[str], restore_root: None) -> None:
    setup_logging("text", "warning")
    logging.getLogger("crossguard.gateway").info("quiet")
    logging.getLogger("crossguard.gateway").warning("loud")
    err = capsys.readouterr().err
    assert "quiet" not in err and "WARNING crossguard.gateway: loud" in err


@pytest.mark.parametrize("command", [["serve", "smtp"], ["serve", "milter"], ["serve", "api"]])
def test_every_serve_command_has_the_log_options(command: list[str]) -> None:
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert "--log-format [text|json]" in result.output and "--log-level" in result.output
