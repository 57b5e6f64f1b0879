"""State shared while one message is read: limits, part budget, notes, callbacks."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from dataclasses import dataclass

from crossguard.core.mask import mask_words
from crossguard.message.model import Message, Part
from crossguard.message.settings import ImageSettings, ParseLimits

FIELD_TYPE = "text/x-crossguard-field"
"""Content type of a field part (header text, a file name, document properties)."""


def type_of(name: str) -> str:
    """The content type a file name suggests; ``application/octet-stream`` when none."""
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


@dataclass(slots=True)
class Leaf:
    """One decoded piece of content waiting for text extraction."""

    path: str
    content_type: str
    data: bytes
    depth: int
    filename: str | None = None
    charset: str | None = None
    is_attachment: bool = False


class ParseContext:
    """What every reader of one message shares.

    ``read_leaf`` turns a :class:`Leaf` into parts (extracting text, opening
    containers); ``read_mime`` reads a nested message given as bytes. Both are
    passed in so that container extractors need not import the dispatcher.
    """

    def __init__(
        self,
        message: Message,
        limits: ParseLimits,
        images: ImageSettings | None,
        read_leaf: Callable[[ParseContext, Leaf], None],
        read_mime: Callable[[ParseContext, bytes, str, int], None],
        mask_name: Callable[[str], str] = mask_words,
    ) -> None:
        self.message = message
        self.limits = limits
        self.images = images
        self._read_leaf = read_leaf
        self._read_mime = read_mime
        self._mask_name = mask_name
        self.image_seconds = 0.0
        self._parts_full = False

    def note(self, kind: str, part: str, reason: str) -> None:
        """Record a parse note (reasons name limits and formats, never content)."""
        notes = self.message.notes
        limit = self.limits.max_notes
        if len(notes) < limit:
            self.message.note(kind, part, reason)
        elif len(notes) == limit:
            self.message.note("limit_notes", "", f"more than max_notes={limit} notes; rest cut")

    def read_leaf(self, leaf: Leaf) -> None:
        """Extract one leaf (and whatever it contains) into the message's parts."""
        self._read_leaf(self, leaf)

    def read_mime(self, raw: bytes, prefix: str, depth: int) -> None:
        """Read a nested message given as bytes; its parts' paths start with ``prefix``."""
        self._read_mime(self, raw, prefix, depth)

    def too_deep(self, depth: int, path: str) -> bool:
        """True (and a note) when ``depth`` is past ``max_depth``."""
        if depth <= self.limits.max_depth:
            return False
        self.note("limit_depth", path, f"nesting deeper than max_depth={self.limits.max_depth}")
        return True

    def has_room(self, path: str) -> bool:
        """True while fewer than ``max_parts`` parts are read; else False (noted once)."""
        if len(self.message.parts) < self.limits.max_parts:
            return True
        if not self._parts_full:
            self._parts_full = True
            self.note("limit_parts", path, f"more than max_parts={self.limits.max_parts} parts")
        return False

    def add_part(self, part: Part) -> bool:
        """Append a part unless ``max_parts`` is reached (then one note, and False)."""
        if not self.has_room(part.path):
            return False
        self.message.parts.append(part)
        return True

    def named(self, prefix: str, name: str, *others: str) -> str:
        """The path of a named item: ``prefix`` plus the masked name.

        The raw name (and ``others``, e.g. a second name the item carries) is
        kept only as the text of the field part ``<path>/filename``.
        """
        path = f"{prefix}{self._mask_name(name)}"
        text = "\n".join(dict.fromkeys(item for item in (name, *others) if item))
        self.add_field(f"{path}/filename", text)
        return path

    def add_field(self, path: str, text: str) -> None:
        """Add text that rides outside a body part (a name, properties, link targets)."""
        if text.strip():
            limit = self.limits.max_text_chars
            self.message.fields.append(Part(path, FIELD_TYPE, text=text[:limit]))
