"""Private output files, replaced whole: every file an incident writes is 0600, every folder 0700.

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

from crossguard.core.private import private_dir
from crossguard.core.private import write_private as write_file


def write_private(path: Path, data: bytes | str) -> Path:
    """Write ``data`` to ``path`` with mode 0600, replacing it atomically."""
    private_dir(path.parent)
    partial = path.with_name(f".{path.name}.partial")
    write_file(partial, data)
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
    private_dir(fresh)
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
