"""Settings: defaults, file errors, and docs/configuration.md covering every setting."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from crossguard.config import Settings, load_settings
from crossguard.config_doc import configuration_markdown, default_toml, iter_settings
from crossguard.errors import ConfigError

DOCS = Path(__file__).parents[2] / "docs" / "configuration.md"


def test_docs_list_every_setting() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for key, _, help_text in iter_settings(Settings()):
        assert f"`{key}`" in text, key
        assert help_text, f"{key} has no help text"
    assert text == configuration_markdown(), "regenerate: python -m crossguard.config_doc"


def test_default_file_is_valid_and_complete(tmp_path: Path) -> None:
    text = default_toml()
    assert tomllib.loads(text)["key_file"] == "crossguard.key"
    for key, _, _ in iter_settings(Settings()):
        assert key.rpartition(".")[2] in text
    path = tmp_path / "crossguard.toml"
    path.write_text(text)
    assert load_settings(path).key_file == tmp_path / "crossguard.key"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[index]\nproximity_window = 'wide'\n", "index.proximity_window: Input should be a valid"),
        ("[policy]\ncompany_domain = ['x']\n", "policy.company_domain: Extra inputs"),
        ("[gateway\n", "not valid TOML"),
    ],
)
def test_errors_name_file_key_and_expectation(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "crossguard.toml"
    path.write_text(content)
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    assert str(error.value).startswith(f"{path}: ")
    assert message in str(error.value)


def test_environment_names_the_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "elsewhere.toml"
    path.write_text("[detect]\ndefault_region = 'GB'\n")
    monkeypatch.setenv("CROSSGUARD_CONFIG", str(path))
    assert load_settings().detect.default_region == "GB"


def test_key_errors_are_clear(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CROSSGUARD_KEY")
    with pytest.raises(ConfigError, match="no index key"):
        Settings().secret_key()
    monkeypatch.setenv("CROSSGUARD_KEY", "zz")
    with pytest.raises(ConfigError, match="must be hex"):
        Settings().secret_key()


def test_relative_paths_are_relative_to_the_config_file(tmp_path: Path) -> None:
    path = tmp_path / "crossguard.toml"
    path.write_text(
        "key_file = 'k'\n[index]\npath = 'idx'\n[policy]\ndirectory = ['d.json']\n"
        "authorized_contacts = 'c.csv'\n[api]\nreports_dir = 'reports'\n"
        "session_secret_file = 's'\n"
    )
    settings = load_settings(path)
    assert settings.key_file == tmp_path / "k"
    assert settings.index.path == tmp_path / "idx"
    assert settings.policy.directory == [tmp_path / "d.json"]
    assert settings.policy.authorized_contacts == tmp_path / "c.csv"
    assert settings.api.reports_dir == tmp_path / "reports"
    assert settings.api.session_secret_file == tmp_path / "s"
