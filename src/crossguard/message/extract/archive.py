"""Zip archives: each member becomes a part at ``<archive path>/<masked member name>``."""

from __future__ import annotations

from pathlib import PurePosixPath

from crossguard.message.context import Leaf, ParseContext, type_of
from crossguard.message.extract.zipread import open_archive


def extract_zip(leaf: Leaf, ctx: ParseContext) -> str:
    """Read every member within the archive limits; the archive's own text is its comments
    (the field ``<path>/comments``)."""
    archive = open_archive(leaf, ctx)
    if archive is None:
        return ""
    with archive.zip:
        for info in archive.members():
            path = ctx.named(f"{leaf.path}/", info.filename)
            if ctx.too_deep(leaf.depth + 1, path):
                return ""
            data = archive.read(info, path)
            if data is None:
                continue
            name = PurePosixPath(info.filename).name
            ctx.read_leaf(
                Leaf(
                    path=path,
                    content_type=type_of(name),
                    data=data,
                    depth=leaf.depth + 1,
                    filename=name,
                    is_attachment=True,
                )
            )
        ctx.add_field(f"{leaf.path}/comments", archive.comments())
    return ""
