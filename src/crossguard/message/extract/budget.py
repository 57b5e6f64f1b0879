"""The expansion budget of one archive: member count, total size, part size, ratio.

Every archive reader (zip, tar, gzip/bzip2/xz, 7z, TNEF) spends the same
budget and notes the same parse-note kinds when a limit stops it, so the
``unreadable_content`` rule holds what could not be read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

from crossguard.message.context import Leaf, ParseContext

RATIO_MIN_BYTES = 1 << 20
"""Expanded sizes below this are never called bombs, whatever their ratio."""

T = TypeVar("T")


class Budget:
    """What one archive leaf may still expand to."""

    def __init__(self, leaf: Leaf, ctx: ParseContext) -> None:
        self.leaf = leaf
        self.ctx = ctx
        self.expanded = 0

    def members(self, items: Iterable[T]) -> Iterator[T]:
        """The first ``max_archive_members`` items; one note when there are more."""
        limit = self.ctx.limits.max_archive_members
        for count, item in enumerate(items):
            if count == limit:
                self.ctx.note("limit_archive_members", self.leaf.path,
                              f"archive has over max_archive_members={limit} members")
                return
            yield item

    def cap(self) -> int:
        """The most bytes the next member may expand to."""
        limits = self.ctx.limits
        return min(limits.max_part_bytes, limits.max_archive_total_bytes - self.expanded)

    def bomb(self, expanded: int, compressed: int) -> bool:
        """True when ``expanded`` is large and over the ratio limit."""
        ratio = self.ctx.limits.max_archive_ratio
        return expanded > RATIO_MIN_BYTES and expanded > max(compressed, 1) * ratio

    def check(self, path: str, expanded: int, compressed: int) -> bool:
        """True while ``expanded`` bytes of a member fit; else False with the note that says why."""
        if self.bomb(expanded, compressed):
            self.ctx.note("zip_bomb", path, self.ratio_reason())
            return False
        cap = self.cap()
        if expanded > cap:
            self.note_cap(path, cap < self.ctx.limits.max_part_bytes)
            return False
        return True

    def spend(self, size: int) -> None:
        """Count a member's expanded size against the total."""
        self.expanded += size

    def ratio_reason(self) -> str:
        return f"expands over max_archive_ratio={self.ctx.limits.max_archive_ratio}; not read"

    def note_cap(self, path: str, total: bool) -> None:
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
