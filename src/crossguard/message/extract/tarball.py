"""gzip, bzip2 and xz streams and tar archives (plain or compressed).

A compressed stream is expanded in chunks within the archive budget (total
size, part size, ratio) before anything reads it, so a bomb stops at the
limit; what comes out is a tar archive (each member a part at ``<archive
path>/<masked member name>``) or one file (a part at ``<path>/<masked name
without the suffix>``).
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import tarfile
import zlib
from io import BytesIO
from pathlib import PurePosixPath
from typing import BinaryIO, cast

from crossguard.message.context import Leaf, ParseContext, type_of
from crossguard.message.extract.budget import Budget

_CHUNK = 1 << 16
_MAGIC = {b"\x1f\x8b": "gzip", b"BZh": "bzip2", b"\xfd7zXZ\x00": "xz"}
_SUFFIXES = (".gz", ".tgz", ".bz2", ".tbz", ".tbz2", ".xz", ".txz")
_TAR_SUFFIXES = (".tgz", ".tbz", ".tbz2", ".txz")


def compression(data: bytes) -> str | None:
    """``gzip``, ``bzip2`` or ``xz`` by magic bytes, else None."""
    for magic, name in _MAGIC.items():
        if data.startswith(magic):
            return name
    return None


def is_tar(data: bytes) -> bool:
    """True for a POSIX (ustar) or GNU tar archive."""
    return data[257:262] == b"ustar"


def extract_compressed(leaf: Leaf, ctx: ParseContext) -> str:
    """Expand a gzip/bzip2/xz leaf and read what is inside."""
    budget = Budget(leaf, ctx)
    data = _expand(leaf, budget)
    if data is None:
        return ""
    name = leaf.filename or "data"
    lower = name.lower()
    inner = name[: -len(PurePosixPath(lower).suffix)] if lower.endswith(_SUFFIXES) else name
    if is_tar(data) or lower.endswith(_TAR_SUFFIXES):
        _read_tar(leaf, ctx, data, budget)
        return ""
    path = ctx.named(f"{leaf.path}/", inner)
    ctx.read_leaf(Leaf(path=path, content_type=type_of(inner), data=data, depth=leaf.depth + 1,
                       filename=inner, is_attachment=True))
    return ""


def extract_tar(leaf: Leaf, ctx: ParseContext) -> str:
    """Read every member of an uncompressed tar archive within the archive limits."""
    _read_tar(leaf, ctx, leaf.data, Budget(leaf, ctx))
    return ""


def _expand(leaf: Leaf, budget: Budget) -> bytes | None:
    """The decompressed bytes, or None with a note (bomb, over a limit, damaged)."""
    kind = compression(leaf.data)
    source = BytesIO(leaf.data)
    out = bytearray()
    try:
        with _opened(kind, source) as stream:
            while chunk := stream.read(_CHUNK):
                out += chunk
                if not budget.check(leaf.path, len(out), len(leaf.data)):
                    return None
    except (zlib.error, OSError, EOFError, lzma.LZMAError, ValueError) as error:
        budget.ctx.note("bad_archive", leaf.path,
                        f"not a readable {kind} stream: {type(error).__name__}")
        return None
    budget.spend(len(out))
    return bytes(out)


def _opened(kind: str | None, source: BytesIO) -> BinaryIO:
    if kind == "gzip":
        return cast(BinaryIO, gzip.GzipFile(fileobj=source))
    return cast(BinaryIO, bz2.BZ2File(source) if kind == "bzip2" else lzma.LZMAFile(source))


def _read_tar(leaf: Leaf, ctx: ParseContext, data: bytes, budget: Budget) -> None:
    try:
        archive = tarfile.open(fileobj=BytesIO(data), mode="r:")  # noqa: SIM115 (closed below)
    except (tarfile.TarError, OSError, EOFError, ValueError) as error:
        ctx.note("bad_archive", leaf.path, f"not a readable tar archive: {type(error).__name__}")
        return
    with archive:
        try:
            for info in budget.members(member for member in archive if member.isfile()):
                path = ctx.named(f"{leaf.path}/", info.name)
                if ctx.too_deep(leaf.depth + 1, path):
                    return
                if not budget.check(path, info.size, info.size):
                    continue
                stream = archive.extractfile(info)
                member = stream.read() if stream is not None else b""
                budget.spend(len(member))
                base = PurePosixPath(info.name).name
                ctx.read_leaf(Leaf(path=path, content_type=type_of(base), data=member,
                                   depth=leaf.depth + 1, filename=base, is_attachment=True))
        except (tarfile.TarError, OSError, EOFError, ValueError) as error:
            ctx.note("bad_archive_member", leaf.path,
                     f"tar archive unreadable past a member: {type(error).__name__}")
