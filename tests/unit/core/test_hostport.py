"""HOST:PORT: one settings type for gateway.listen, gateway.upstream, api.listen and --listen."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from crossguard.config import load_settings, settings_from_dict
from crossguard.config_doc import default_toml
from crossguard.core.hostport import HostPort
from crossguard.errors import ConfigError


@pytest.mark.parametrize(("text", "host", "port"), [
    ("127.0.0.1:8025", "127.0.0.1", 8025), (":9000", "127.0.0.1", 9000),
    ("[::1]:25", "::1", 25), ("mx.example.com:587", "mx.example.com", 587),
    ("127.0.0.1:0", "127.0.0.1", 0),
])
def test_parse(text: str, host: str, port: int) -> None:
    parsed = HostPort.parse(text)
    assert (parsed.host, parsed.port) == (host, port)
    assert HostPort.parse(str(parsed)) == parsed


@pytest.mark.parametrize("text", ["8025", "host:", "host:http", "host:70000", "a b:25",
                                  "host:\uff12\uff15"])
def test_parse_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="expected HOST:PORT"):
        HostPort.parse(text)


def test_settings_fields_are_host_ports_and_render_as_text() -> None:
    settings = settings_from_dict({"gateway": {"listen": "[::1]:2525", "upstream": "mx:25"},
                                   "api": {"listen": ":8080"}})
    assert settings.gateway.listen == HostPort("::1", 2525)
    assert settings.gateway.upstream == HostPort("mx", 25)
    assert str(settings.api.listen) == "127.0.0.1:8080"
    assert settings.model_dump(mode="json")["gateway"]["listen"] == "[::1]:2525"
    assert '# listen = "127.0.0.1:10030"' in default_toml()


@pytest.mark.parametrize(("section", "field"), [("gateway", "listen"), ("gateway", "upstream"),
                                                ("api", "listen")])
def test_a_bad_value_names_the_file_and_field(tmp_path: Path, section: str, field: str) -> None:
    config = tmp_path / "crossguard.toml"
    config.write_text(f'[{section}]\n{field} = "localhost"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert str(caught.value) == (f"{config}: {section}.{field}: "
                                 "expected HOST:PORT, got 'localhost'")


@pytest.mark.parametrize("command", [["serve", "smtp", "--listen"], ["serve", "smtp", "--upstream"],
                                     ["serve", "api", "--listen"]])
def test_a_bad_option_is_one_line_naming_it_and_exit_2(tmp_path: Path,
                                                       command: list[str]) -> None:
    result = subprocess.run([sys.executable, "-m", "crossguard.cli", *command, "nowhere"],
                            capture_output=True, cwd=tmp_path, timeout=60, check=False)
    assert result.returncode == 2
    (line,) = result.stderr.decode().strip().splitlines()
    assert f"'{command[-1]}'" in line and "expected HOST:PORT, got 'nowhere'" in line
