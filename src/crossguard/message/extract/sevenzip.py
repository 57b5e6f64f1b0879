"""7z archives (py7zr): each member a part at ``<archive path>/<masked member name>``.

The declared sizes are checked against the archive budget before anything is
expanded, and each member is written to a memory buffer capped one byte over
what it may hold, so a member that lies about its size is caught. An
encrypted archive (or one with encrypted headers) is a note, never a silent allow.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import PurePosixPath

from crossguard.message.context import Leaf, ParseContext, type_of
from crossguard.message.extract.budget import Budget

MAGIC = b"7z\xbc\xaf\x27\x1c"


def extract_7z(leaf: Leaf, ctx: ParseContext) -> str:
    """Read every member within the archive limits; the archive itself has no text."""
    import py7zr  # loaded on the first 7z archive
    from py7zr.io import BytesIOFactory

    budget = Budget(leaf, ctx)
    try:
        with py7zr.SevenZipFile(BytesIO(leaf.data), mode="r") as archive:
            if archive.needs_password():
                ctx.note("encrypted_content", leaf.path, "7z archive is encrypted; not read")
                return ""
            infos = [info for info in archive.list() if not info.is_directory]
            chosen: list[tuple[str, str]] = []
            for info in budget.members(infos):
                path = ctx.named(f"{leaf.path}/", info.filename)
                size = int(info.uncompressed or 0)
                compressed = int(info.compressed or 0) or len(leaf.data)
                if budget.check(path, size, compressed):
                    budget.spend(size)
                    chosen.append((info.filename, path))
            if not chosen:
                return ""
            factory = BytesIOFactory(max(budget.ctx.limits.max_part_bytes, 1) + 1)
            archive.extract(targets=[name for name, _ in chosen], factory=factory)
    except py7zr.exceptions.PasswordRequired:
        ctx.note("encrypted_content", leaf.path, "7z archive is encrypted; not read")
        return ""
    except (py7zr.exceptions.ArchiveError, OSError, EOFError, ValueError, KeyError,
            NotImplementedError) as error:
        ctx.note("bad_archive", leaf.path, f"not a readable 7z archive: {type(error).__name__}")
        return ""
    for name, path in chosen:
        product = factory.products.get(name)
        if product is None:
            ctx.note("bad_archive_member", path, "7z member could not be expanded")
            continue
        product.seek(0)
        data = product.read()
        if len(data) > ctx.limits.max_part_bytes:
            budget.note_cap(path, False)
            continue
        base = PurePosixPath(name).name
        ctx.read_leaf(Leaf(path=path,
                           content_type=type_of(base),
                           data=data, depth=leaf.depth + 1, filename=base, is_attachment=True))
    return ""
