"""Private output files: 0600 files, 0700 folders (new parents too), whole-folder replacement."""

from __future__ import annotations

import stat
from pathlib import Path

from crossguard.core.private import private_dir
from crossguard.incident.files import replace_folder, write_private


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_parents_existing_folders_and_files_are_private(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir(mode=0o755)
    private_dir(tmp_path / "shared")
    assert _mode(tmp_path / "shared") == 0o700
    write_private(tmp_path / "a" / "b" / "c.txt", "x")
    assert [_mode(tmp_path / "a"), _mode(tmp_path / "a" / "b")] == [0o700, 0o700]
    assert _mode(tmp_path / "a" / "b" / "c.txt") == 0o600
    (tmp_path / "open.txt").write_text("old", encoding="utf-8")
    (tmp_path / "open.txt").chmod(0o644)
    write_private(tmp_path / "open.txt", b"new")
    assert _mode(tmp_path / "open.txt") == 0o600
    assert (tmp_path / "open.txt").read_bytes() == b"new"


def test_replace_folder_leaves_no_stale_file(tmp_path: Path) -> None:
    replace_folder(tmp_path / "letters", {"C1.eml": b"1", "C2.eml": b"2"})
    replace_folder(tmp_path / "letters", {"C2.eml": b"two"})
    assert sorted(path.name for path in (tmp_path / "letters").iterdir()) == ["C2.eml"]
    assert (tmp_path / "letters" / "C2.eml").read_bytes() == b"two"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["letters"]
    assert _mode(tmp_path / "letters") == 0o700
