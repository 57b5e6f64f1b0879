"""Private files and folders: 0600/0700 whatever the umask; open secrets are refused."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from crossguard.config import check_private, read_key, settings_from_dict
from crossguard.core.private import (
    create_private,
    open_private,
    private_dir,
    write_private,
)
from crossguard.errors import ConfigError


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(params=[0o022, 0o000])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    before = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(before)


def test_folders_and_files_are_private_whatever_the_umask(umask: int, tmp_path: Path) -> None:
    folder = private_dir(tmp_path / "a" / "b" / "c")
    assert [mode(tmp_path / "a"), mode(tmp_path / "a" / "b"), mode(folder)] == [0o700] * 3
    written = write_private(folder / "x.txt", "text")
    with open_private(folder / "y.bin", "wb") as handle:
        handle.write(b"bytes")
    created = create_private(tmp_path / "d" / "e.db")
    assert [mode(written), mode(folder / "y.bin"), mode(created)] == [0o600] * 3
    assert mode(tmp_path / "d") == 0o700
    assert written.read_text() == "text" and created.read_bytes() == b""


def test_existing_paths_are_tightened(tmp_path: Path) -> None:
    folder, file = tmp_path / "open", tmp_path / "open" / "f"
    folder.mkdir(mode=0o755)
    file.write_text("old")
    file.chmod(0o644)
    private_dir(folder)
    write_private(file, "new")
    create_private(tmp_path / "open" / "f")
    assert (mode(folder), mode(file), file.read_text()) == (0o700, 0o600, "new")


def test_existing_parents_are_left_alone(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    create_private(tmp_path / "store.db")
    assert mode(tmp_path) == 0o755


@pytest.mark.parametrize("open_mode", [0o644, 0o640, 0o604])
def test_a_key_file_others_can_read_is_refused(open_mode: int, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CROSSGUARD_KEY")
    key = tmp_path / "crossguard.key"
    key.write_text("ab" * 32)
    key.chmod(open_mode)
    with pytest.raises(ConfigError) as refused:
        read_key(key)
    assert str(refused.value) == (
        f"{key}: key file permissions {open_mode:04o} are too open (group or others can read "
        f"it); run chmod 600 {key}, or set allow_insecure_key_permissions = true")
    assert "\n" not in str(refused.value)
    settings = settings_from_dict({"key_file": "crossguard.key"}, source=tmp_path / "c.toml")
    with pytest.raises(ConfigError, match="too open"):
        settings.secret_key()
    allowed = settings_from_dict({"key_file": "crossguard.key",
                                  "allow_insecure_key_permissions": True},
                                 source=tmp_path / "c.toml")
    assert allowed.secret_key() == bytes.fromhex("ab" * 32)
    key.chmod(0o600)
    assert settings.secret_key() == bytes.fromhex("ab" * 32)


def test_check_private_names_the_secret(tmp_path: Path) -> None:
    secret = tmp_path / "session.hex"
    secret.write_text("00")
    secret.chmod(0o640)
    with pytest.raises(ConfigError, match="session secret file permissions 0640"):
        check_private(secret, "session secret file")
    check_private(secret, "session secret file", allow=True)
