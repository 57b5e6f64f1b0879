"""Archive readers: mbox (also .mbox.gz), Maildir, folders of .eml, Outlook .msg, and
the stores of mail programs: Thunderbird's folders (mbox files without a suffix), Apple
Mail's exports (``Inbox.mbox/mbox``) and messages (``.emlx``).

Each reader yields :class:`Item` objects in a stable order (file order inside
an mbox, sorted file names elsewhere) so that a scan numbers messages the same
way every time, whatever the number of workers. A path that holds no mail at all
is an error: an empty scan would read as "nobody affected".
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from crossguard.errors import ConfigError

_SEPARATOR = re.compile(rb"^From [^\n]*\n", re.MULTILINE)
_ESCAPED = re.compile(rb"^>(>*From )", re.MULTILINE)
_MIME_SUFFIXES = (".eml",)
_MBOX_SUFFIXES = (".mbox", ".mbx", ".mbox.gz", ".mbx.gz")
#: Apple Mail's message files: the message's size on the first line, the message, then a
#: property list.
_EMLX_SUFFIXES = (".emlx",)
_MBOX_START = b"From "
#: What a path is told to hold when it holds no mail.
_READ = "mbox, Maildir, .eml, .emlx or .msg"


@dataclass(frozen=True)  # no slots: see crossguard.incident.worker.Outcome
class Item:
    """One message to scan: its place in the scan, where it came from, its bytes."""

    seq: int
    source: str
    raw: bytes
    outlook: bool = False


def read_sources(paths: Iterable[Path],
                 skipped: Callable[[Path], None] = lambda path: None) -> Iterator[Item]:
    """Every message under ``paths``, numbered in reading order; ``skipped`` is told of
    each file a folder walk leaves because it holds no mail."""
    seq = 0
    for path in paths:
        start = seq
        for source, raw, outlook in _read_path(path, skipped):
            yield Item(seq, source, raw, outlook)
            seq += 1
        if seq == start:
            raise ConfigError(f"{path}: no mail found (read: {_READ})")


def split_mbox(data: bytes) -> Iterator[bytes]:
    """The messages of an mbox (mboxrd or mboxo), ``>From`` lines unescaped."""
    starts = list(_SEPARATOR.finditer(data))
    for number, match in enumerate(starts):
        end = starts[number + 1].start() if number + 1 < len(starts) else len(data)
        body = data[match.end():end]
        if body.endswith(b"\n\n"):
            body = body[:-1]
        # every escaped line holds ">From ": most messages have none and skip the regex
        yield _ESCAPED.sub(rb"\1", body) if b">From " in body else body


def _read_path(path: Path, skipped: Callable[[Path], None]
               ) -> Iterator[tuple[str, bytes, bool]]:
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if not child.is_file():
                continue
            if _wanted(child):
                yield from _read_file(child)
            else:
                skipped(child)
    elif path.is_file():
        yield from _read_file(path)
    else:
        raise ConfigError(f"{path}: no such file or folder")


def _wanted(path: Path) -> bool:
    """A file a folder walk reads: known suffixes, a Maildir message in cur/ or new/, or a
    file that opens as an mbox whatever its name (a Thunderbird folder, Apple's export)."""
    name = path.name.lower()
    return (name.endswith(_MIME_SUFFIXES + _MBOX_SUFFIXES + _EMLX_SUFFIXES + (".msg",))
            or (path.parent.name in ("cur", "new") and not name.startswith("."))
            or _opens_as_mbox(path))


def _opens_as_mbox(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(_MBOX_START)) == _MBOX_START
    except OSError:
        return False


def _read_file(path: Path) -> Iterator[tuple[str, bytes, bool]]:
    name = path.name.lower()
    try:
        if name.endswith(".gz"):
            with gzip.open(path, "rb") as handle:
                data = handle.read()
        else:
            data = path.read_bytes()
    except (OSError, EOFError) as error:
        raise ConfigError(f"{path}: cannot read ({error})") from None
    if name.endswith(".msg"):
        yield str(path), data, True
    elif name.endswith(_EMLX_SUFFIXES):
        yield str(path), _emlx_message(data), False
    elif name.endswith(_MBOX_SUFFIXES) or (not name.endswith(".eml") and data.startswith(b"From ")):
        for number, raw in enumerate(split_mbox(data)):
            yield f"{path}#{number}", raw, False
    else:
        yield str(path), data, False


def _emlx_message(data: bytes) -> bytes:
    """The message of an Apple Mail ``.emlx`` file: the size its first line gives, after
    that line; the whole file when the first line is no size."""
    size, newline, rest = data.partition(b"\n")
    return rest[:int(size)] if newline and size.strip().isdigit() else data
