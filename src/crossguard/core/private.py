"""Files and folders only their owner can open: 0600 and 0700, whatever the umask.

Every file and folder crossguard creates goes through these helpers: the
store's database (with SQLite's ``-wal`` and ``-shm``), the spool, the index,
the key, incident reports and letters. A mode passed to ``open``/``mkdir`` is
only an upper bound the umask narrows, so an existing path is also tightened
with ``chmod``. :func:`check_private` refuses a secret that the group or
others can read, as ssh refuses such a private key.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import IO, Any

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_parents(path: Path) -> None:
    """Create the missing folders above ``path`` 0700 (existing ones are left as they are)."""
    missing: list[Path] = []
    cursor = path.parent
    while not cursor.exists() and cursor.parent != cursor:
        missing.append(cursor)
        cursor = cursor.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=DIR_MODE)
            folder.chmod(DIR_MODE)


def private_dir(path: Path) -> Path:
    """Create ``path`` and its missing parents 0700; tighten ``path`` if it exists."""
    private_parents(path)
    with contextlib.suppress(FileExistsError):
        path.mkdir(mode=DIR_MODE)
    tighten(path)
    return path


def create_private(path: Path) -> Path:
    """Create ``path`` empty if it is missing (parents 0700); either way it ends up 0600.

    An existing file is tightened by path, never opened: closing a descriptor
    of a SQLite database would drop the POSIX locks of every connection this
    process has to it (https://sqlite.org/howtocorrupt.html, section 2.2).
    """
    private_parents(path)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    tighten(path)
    return path


def tighten(path: Path) -> None:
    """Make an existing file 0600 (a folder 0700) when this user owns it; by path only."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return
    if status.st_uid != os.geteuid():
        return
    wanted = DIR_MODE if stat.S_ISDIR(status.st_mode) else FILE_MODE
    if stat.S_IMODE(status.st_mode) != wanted:
        path.chmod(wanted)


def _opener(path: str, flags: int) -> int:
    descriptor = os.open(path, flags, FILE_MODE)
    os.fchmod(descriptor, FILE_MODE)
    return descriptor


def open_private(path: Path, mode: str = "w", **kwargs: Any) -> IO[Any]:
    """``open(path, mode)`` for writing; the file is (made) 0600 before anything is written."""
    return open(path, mode, opener=_opener, **kwargs)


def write_private(path: Path, data: bytes | str, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` to ``path`` (created or replaced), mode 0600."""
    if isinstance(data, str):
        with open_private(path, "w", encoding=encoding, newline="") as handle:
            handle.write(data)
    else:
        with open_private(path, "wb") as handle:
            handle.write(data)
    return path
