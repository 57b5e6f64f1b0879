"""Reading zip members within the archive limits: count, total size, ratio, encryption.

A member is read in chunks and abandoned as soon as it passes a limit, so a
member that lies about its size in the directory is caught while expanding.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from io import BytesIO

from crossguard.message.context import Leaf, ParseContext

RATIO_MIN_BYTES = 1 << 20
"""Expanded sizes below this are never called zip bombs, whatever their ratio."""

_CHUNK = 1 << 16
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, OSError, ValueError)


class Archive:
    """One opened zip archive with its expansion budget."""

    def __init__(self, leaf: Leaf, ctx: ParseContext, zip_file: zipfile.ZipFile) -> None:
        self.leaf = leaf
        self.ctx = ctx
        self.zip = zip_file
        self.expanded = 0

    def members(self) -> Iterator[zipfile.ZipInfo]:
        """File members (not folders), stopping at ``max_archive_members`` (noted)."""
        limit = self.ctx.limits.max_archive_members
        infos = [info for info in self.zip.infolist() if not info.is_dir()]
        if len(infos) > limit:
            self.ctx.note(
                "limit_archive_members",
                self.leaf.path,
                f"archive has {len(infos)} members, over max_archive_members={limit}",
            )
        yield from infos[:limit]

    def names(self) -> set[str]:
        """Every member name."""
        return set(self.zip.namelist())

    def read(self, info: zipfile.ZipInfo) -> bytes | None:
        """A member's bytes, or None with a note when a limit or damage stops it."""
        path = f"{self.leaf.path}/{info.filename}"
        limits = self.ctx.limits
        if info.flag_bits & 0x1:
            self.ctx.note("encrypted_member", path, "archive member is encrypted; not read")
            return None
        if self._bomb(info.file_size, info.compress_size):
            self.ctx.note("zip_bomb", path, self._ratio_reason())
            return None
        budget = limits.max_archive_total_bytes - self.expanded
        cap = min(limits.max_part_bytes, budget)
        if info.file_size > cap:
            self._note_cap(path, cap == budget)
            return None
        out = bytearray()
        try:
            with self.zip.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    out += chunk
                    if self._bomb(len(out), info.compress_size):
                        self.ctx.note("zip_bomb", path, self._ratio_reason())
                        return None
                    if len(out) > cap:
                        self._note_cap(path, cap == budget)
                        return None
        except _READ_ERRORS as error:
            self.ctx.note("bad_archive_member", path, f"member unreadable: {type(error).__name__}")
            return None
        self.expanded += len(out)
        return bytes(out)

    def _bomb(self, expanded: int, compressed: int) -> bool:
        """True when ``expanded`` is large and over the ratio limit."""
        ratio = self.ctx.limits.max_archive_ratio
        return expanded > RATIO_MIN_BYTES and expanded > max(compressed, 1) * ratio

    def _ratio_reason(self) -> str:
        return f"expands over max_archive_ratio={self.ctx.limits.max_archive_ratio}; not read"

    def _note_cap(self, path: str, total: bool) -> None:
        limits = self.ctx.limits
        if total:
            self.ctx.note(
                "limit_archive_size",
                path,
                f"archive expands over max_archive_total_bytes={limits.max_archive_total_bytes}",
            )
        else:
            self.ctx.note(
                "limit_part_size", path, f"member is over max_part_bytes={limits.max_part_bytes}"
            )


def open_archive(leaf: Leaf, ctx: ParseContext) -> Archive | None:
    """Open a leaf as a zip archive, or note why it cannot be."""
    try:
        return Archive(leaf, ctx, zipfile.ZipFile(BytesIO(leaf.data)))
    except _READ_ERRORS as error:
        ctx.note("bad_archive", leaf.path, f"not a readable zip archive: {type(error).__name__}")
        return None
