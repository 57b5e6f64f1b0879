"""Issue 21's leak matrix: a customer's card, SSN, phone or name + address in each place of a
message, one place at a time, sent to another customer, is held by ``cross_customer`` through
``crossguard check``, ``POST /v1/check`` and the SMTP gateway; the same message to its owner
is allowed. The cells are in leak_matrix.py."""

from __future__ import annotations

import json
import smtplib
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.integration.support.api import KEY_HEX, RFC822, ApiEnv, running_api
from tests.integration.support.gateway import MakeGateway, MakeSink
from tests.integration.support.leak_matrix import CELLS, SENDER, build, mailto
from tests.integration.support.net import wait_until

from crossguard.cli.main import cli
from crossguard.core.hostport import HostPort
from crossguard.gateway.settings import GatewaySettings
from crossguard.synth.customers import Customer

pytestmark = [pytest.mark.integration, pytest.mark.slow]

OWNER, OTHER = 0, 1
CELL_IDS = [f"{place}-{kind}" for place, kind in CELLS]


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiEnv]:
    folder = tmp_path_factory.mktemp("leak-matrix")
    with running_api(folder) as api:
        yield api


@pytest.fixture(scope="module")
def config(env: ApiEnv) -> Path:
    """A crossguard.toml for the check command: the same key, index and company domain."""
    folder = Path(str(env.settings.index.path)).parent
    path = folder / "check.toml"
    path.write_text(f'key_file = "crossguard.key"\n[index]\npath = "{env.settings.index.path}"\n'
                    '[policy]\ncompany_domains = ["example.com"]\n', encoding="utf-8")
    return path


def _pair(env: ApiEnv) -> tuple[Customer, Customer]:
    return env.customers[OWNER], env.customers[OTHER]


def _cli(config: Path, folder: Path, raw: bytes, rcpt: str) -> tuple[int, dict[str, object]]:
    path = folder / "message.eml"
    path.write_bytes(raw)
    runner = CliRunner(env={"CROSSGUARD_KEY": KEY_HEX})
    result = runner.invoke(cli, ["check", str(path), "--config", str(config), "--json",
                                 "--mail-from", SENDER, "--rcpt", rcpt], standalone_mode=False)
    assert result.stdout.startswith("{"), (result.exception, result.stderr[-300:])
    return result.return_value, json.loads(result.stdout)  # the exit code main() gives


@pytest.mark.parametrize(("place", "kind"), CELLS, ids=CELL_IDS)
def test_check_command(env: ApiEnv, config: Path, tmp_path: Path, place: str, kind: str) -> None:
    owner, other = _pair(env)
    code, verdict = _cli(config, tmp_path, build(place, kind, owner, other.email), other.email)
    assert code == 1 and "cross_customer" in [rule["rule"] for rule in verdict["rules"]]  # type: ignore[union-attr, index]
    code, verdict = _cli(config, tmp_path, build(place, kind, owner, owner.email), owner.email)
    assert (code, verdict["action"]) == (0, "allow")


def _api(env: ApiEnv, raw: bytes, rcpt: str) -> dict[str, object]:
    with env.client("checker") as client:
        response = client.post("/v1/check", content=raw, headers=RFC822,
                               params={"mail_from": SENDER, "rcpt": rcpt})
    assert response.status_code == 200, response.text
    verdict: dict[str, object] = response.json()["verdict"]
    return verdict


def test_api_check_every_cell(env: ApiEnv) -> None:
    owner, other = _pair(env)
    missed = []
    for place, kind in CELLS:
        held = _api(env, build(place, kind, owner, other.email), other.email)
        control = _api(env, build(place, kind, owner, owner.email), owner.email)
        rules = [rule["rule"] for rule in held["rules"]]  # type: ignore[attr-defined]
        if "cross_customer" not in rules or control["action"] != "allow":
            missed.append((place, kind, held["action"], control["action"]))
    assert missed == []


def _crlf(raw: bytes) -> bytes:
    """SMTP line ends (smtplib sends bytes as they are)."""
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def test_gateway_every_cell(env: ApiEnv, make_sink: MakeSink, make_gateway: MakeGateway,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    owner, other = _pair(env)
    sink = make_sink()
    monkeypatch.setenv("CROSSGUARD_KEY", KEY_HEX)  # the sink fixture set the gateways' key
    settings = env.settings.model_copy(update={"gateway": GatewaySettings(
        listen=HostPort("127.0.0.1", 0), upstream=HostPort("127.0.0.1", sink.port),
        poll_seconds=0.1, retry_base_seconds=0.2, retry_max_seconds=1.0)})
    gateway = make_gateway(settings, "matrix")
    missed = []
    with smtplib.SMTP("127.0.0.1", gateway.gateway.port, timeout=60) as client:
        for number, (place, kind) in enumerate(CELLS, 1):
            client.sendmail(SENDER, [other.email], _crlf(build(place, kind, owner, other.email)))
            held = env.store.quarantine.list(limit=len(CELLS) + 10)
            newest = max(held, key=lambda entry: entry.created_at) if held else None
            if len(held) != number or newest is None or "cross_customer" not in newest.rules:
                missed.append((place, kind))
            client.sendmail(SENDER, [owner.email], _crlf(build(place, kind, owner, owner.email)))
    assert missed == []
    assert wait_until(lambda: len(sink.messages) == len(CELLS), timeout=120)


def test_mailto_only_message(env: ApiEnv) -> None:
    owner, other = _pair(env)
    held = _api(env, mailto(owner, other.email), other.email)
    assert "cross_customer" in [rule["rule"] for rule in held["rules"]]  # type: ignore[attr-defined]
    assert _api(env, mailto(owner, owner.email), owner.email)["action"] == "allow"
