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
from crossguard.message.extract.budget import Budget

_CHUNK = 1 << 16
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, OSError, ValueError)


class Archive:
    """One opened zip archive with its expansion budget."""

    def __init__(self, leaf: Leaf, ctx: ParseContext, zip_file: zipfile.ZipFile) -> None:
        self.leaf = leaf
        self.ctx = ctx
        self.zip = zip_file
        self.budget = Budget(leaf, ctx)

    def members(self) -> Iterator[zipfile.ZipInfo]:
        """File members (not folders), stopping at ``max_archive_members`` (noted)."""
        return self.budget.members(info for info in self.zip.infolist() if not info.is_dir())

    def names(self) -> set[str]:
        """Every member name."""
        return set(self.zip.namelist())

    def comments(self) -> str:
        """The archive's comment and its members' comments, a line each (text a zip tool
        shows, and a place to hide some)."""
        found = [self.zip.comment, *(info.comment for info in self.zip.infolist())]
        return "\n".join(text for comment in found
                         if (text := comment.decode("utf-8", "replace").strip()))

    def read(self, info: zipfile.ZipInfo, path: str) -> bytes | None:
        """A member's bytes, or None with a note (at ``path``) when a limit or damage stops it."""
        if info.flag_bits & 0x1:
            self.ctx.note("encrypted_member", path, "archive member is encrypted; not read")
            return None
        budget = self.budget
        if not budget.check(path, info.file_size, info.compress_size):
            return None
        out = bytearray()
        try:
            with self.zip.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    out += chunk
                    if not budget.check(path, len(out), info.compress_size):
                        return None
        except _READ_ERRORS as error:
            self.ctx.note("bad_archive_member", path, f"member unreadable: {type(error).__name__}")
            return None
        budget.spend(len(out))
        return bytes(out)


def open_archive(leaf: Leaf, ctx: ParseContext) -> Archive | None:
    """Open a leaf as a zip archive, or note why it cannot be."""
    try:
        return Archive(leaf, ctx, zipfile.ZipFile(BytesIO(leaf.data)))
    except _READ_ERRORS as error:
        ctx.note("bad_archive", leaf.path, f"not a readable zip archive: {type(error).__name__}")
        return None
