"""XML attachments: element text, one element per line; unparsable XML is read as text."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from crossguard.message.context import Leaf, ParseContext
from crossguard.message.extract.plain import extract_plain


def xml_text(data: bytes) -> str:
    """The text and attribute values of an XML document, one element per line."""
    root = ElementTree.fromstring(data)
    lines: list[str] = []
    for element in root.iter():
        values = [value for value in element.attrib.values() if value.strip()]
        if element.text and element.text.strip():
            values.append(element.text.strip())
        if element.tail and element.tail.strip():
            values.append(element.tail.strip())
        if values:
            lines.append(" ".join(values))
    return "\n".join(lines)


def extract_xml(leaf: Leaf, ctx: ParseContext) -> str:
    """Text of an XML part; malformed XML is noted and read as plain text."""
    try:
        return xml_text(leaf.data)
    except (ElementTree.ParseError, ValueError):
        ctx.note("bad_xml", leaf.path, "not well-formed XML; read as plain text")
        return extract_plain(leaf, ctx)
