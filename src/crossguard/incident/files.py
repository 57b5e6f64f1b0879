"""Private output files: every file an incident writes is 0600, every folder 0700.

The outputs hold customer ids, masked evidence and, in a few files,
recipient addresses in clear: personal data, readable by the owner only.
Files are written to a temporary name and renamed, so a reader never sees
half a file.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(path: Path) -> Path:
    """``path`` and its missing parents created 0700; an existing ``path`` is set to 0700."""
    for folder in reversed([path, *path.parents]):
        if not folder.exists():
            folder.mkdir(mode=FOLDER_MODE)
            folder.chmod(FOLDER_MODE)  # mkdir's mode is masked by the umask
    path.chmod(FOLDER_MODE)
    return path


def write_private(path: Path, data: bytes | str) -> Path:
    """Write ``data`` to ``path`` with mode 0600, replacing it atomically."""
    private_folder(path.parent)
    partial = path.with_name(f".{path.name}.partial")
    raw = data.encode("utf-8") if isinstance(data, str) else data
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(raw)
    os.chmod(partial, FILE_MODE)
    os.replace(partial, path)
    return path


def replace_folder(folder: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Make ``folder`` hold exactly ``files`` (name to bytes): stale files go, folder 0700.

    The new content is written next to the folder and swapped in, so an
    earlier render's files never mix with this one's.
    """
    fresh = folder.with_name(f".{folder.name}.partial")
    stale = folder.with_name(f".{folder.name}.old")
    for leftover in (fresh, stale):
        if leftover.exists():
            shutil.rmtree(leftover)
    private_folder(fresh)
    for name, data in files.items():
        write_private(fresh / name, data)
    if folder.exists():
        folder.rename(stale)
    fresh.rename(folder)
    if stale.exists():
        shutil.rmtree(stale)
    return [folder / name for name in files]


def remove(path: Path) -> None:
    """Delete ``path`` (a file or folder) if it exists."""
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
