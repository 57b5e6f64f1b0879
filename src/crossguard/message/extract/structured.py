"""XML attachments and SVG images: element text, one element per line; unparsable XML is
read as text."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from crossguard.message.context import Leaf, ParseContext
from crossguard.message.extract.plain import extract_plain

#: SVG attributes that draw rather than say: their numbers are coordinates, not data.
_GEOMETRY = frozenset({
    "d", "points", "transform", "viewbox", "x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r",
    "rx", "ry", "dx", "dy", "width", "height", "rotate", "offset", "stroke-dasharray",
    "stroke-width", "gradienttransform", "patterntransform", "style", "fill", "stroke",
})


def xml_text(data: bytes, skip: frozenset[str] = frozenset()) -> str:
    """The text and attribute values of an XML document, one element per line (attributes
    named in ``skip``, lower-case and without namespace, left out)."""
    root = ElementTree.fromstring(data)
    lines: list[str] = []
    for element in root.iter():
        values = [value for name, value in element.attrib.items()
                  if value.strip() and name.rpartition("}")[2].lower() not in skip]
        if element.text and element.text.strip():
            values.append(element.text.strip())
        if element.tail and element.tail.strip():
            values.append(element.tail.strip())
        if values:
            lines.append(" ".join(values))
    return "\n".join(lines)


def extract_xml(leaf: Leaf, ctx: ParseContext) -> str:
    """Text of an XML part; malformed XML is noted and read as plain text."""
    return _extract(leaf, ctx, frozenset())


def extract_svg(leaf: Leaf, ctx: ParseContext) -> str:
    """Text of an SVG image, not its geometry; malformed SVG is noted and read as plain text."""
    return _extract(leaf, ctx, _GEOMETRY)


def _extract(leaf: Leaf, ctx: ParseContext, skip: frozenset[str]) -> str:
    try:
        return xml_text(leaf.data, skip)
    except (ElementTree.ParseError, ValueError):
        ctx.note("bad_xml", leaf.path, "not well-formed XML; read as plain text")
        return extract_plain(leaf, ctx)
