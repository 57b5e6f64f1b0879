"""HTML to visible text with the standard library's html.parser.

Scripts, styles and templates are dropped, entities decoded, block elements
become line breaks (blank lines are dropped) and table cells are separated by
tabs.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from crossguard.message.charset import decode_text
from crossguard.message.context import Leaf, ParseContext

_SKIP = frozenset({"script", "style", "template"})
_BLOCK = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "center",
        "dd",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "title",
        "tr",
        "ul",
    }
)
_CELL = frozenset({"td", "th"})
_SPACES = re.compile(r"[ \f\v\xa0\u200b]+")
_DATA_SPACES = str.maketrans("\r\n\t", "   ")


class _TextParser(HTMLParser):
    """Collects visible text, with line breaks for block elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skipping += 1
        elif tag in _BLOCK:
            self.chunks.append("\n")
        elif tag in _CELL:
            self.chunks.append("\t")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.chunks.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK:
            self.chunks.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.chunks.append(data.translate(_DATA_SPACES))


def html_to_text(markup: str) -> str:
    """Visible text of an HTML document."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    text = _SPACES.sub(" ", "".join(parser.chunks))
    lines = (line.strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def extract_html(leaf: Leaf, ctx: ParseContext) -> str:
    """The visible text of an HTML part."""
    markup = decode_text(
        leaf.data, leaf.charset, lambda kind, reason: ctx.note(kind, leaf.path, reason)
    )
    return html_to_text(markup)
