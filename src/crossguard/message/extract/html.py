"""HTML to visible text with the standard library's html.parser.

Scripts, styles and templates are dropped, entities decoded, block elements
become line breaks (blank lines are dropped) and table cells are separated by
tabs. A quoted message (``<blockquote>``) keeps its quote marks, one ``>`` a
level, as a plain-text reply shows them.
"""

from __future__ import annotations

import base64
import binascii
import re
from html import unescape
from html.parser import HTMLParser
from urllib.parse import unquote, unquote_plus, unquote_to_bytes, urlsplit

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
_TOKEN = re.compile(
    r"<(?P<end>/?)(?P<tag>[A-Za-z][A-Za-z0-9]*)\b[^<>]*>|<[!?/][^<>]*>|(?P<text><?[^<]+|<+)"
)
# Attributes that carry text a reader sees or an address a click or a picture fetches:
# alt and title text, and the targets of links, pictures, forms, objects and quotations
# (an SVG link's xlink:href, a link's ping, a button's formaction, a quotation's cite...).
_ATTRIBUTE = re.compile(
    r"""(?i)[\s"'](?:xlink:)?(alt|title|href|src|srcset|action|background|poster|data|cite|"""
    r"""longdesc|formaction|ping|lowsrc|dynsrc)\s*=\s*"""
    r"""(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"""
)
_ADDRESSES = frozenset({"href", "src", "action", "background", "poster", "data", "cite",
                        "longdesc", "formaction", "ping", "lowsrc", "dynsrc"})
#: A style sheet's addresses (``background: url(...)``), in a <style> or a style attribute.
_STYLE_URL = re.compile(r"""(?i)\burl\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)""")
#: Text a style sheet writes on the page (``::before { content: "..." }``).
_STYLE_CONTENT = re.compile(r"""(?i)\bcontent\s*:\s*(?:"([^"]*)"|'([^']*)')""")
_LINK_SCHEMES = ("mailto:", "tel:", "callto:", "sms:")
#: Addresses that hold no one's data: a part of this message.
_OPAQUE_SCHEMES = ("cid:",)
_DATA_URI = re.compile(r"(?is)\s*data:([\w.+-]+/[\w.+-]+)?((?:;[\w.+-]+=[^;,]*)*)(;base64)?,(.*)")
#: What splits a web address's path and query into its values ("?email=a@b.test&id=7").
_ADDRESS_SEPARATORS = re.compile(r"[/?&=#;]+")
#: Percent-decodings of a web address (a link wrapped in a tracker's is encoded twice).
_DECODINGS = 3
# Text that travels unseen: comments (their markup's text), script and template bodies,
# and the attributes that carry data rather than looks (a hidden input's value, a meta
# tag's content, data-*), and the text a style sheet writes (``content: "..."``). The
# rest of a style sheet is left out: its numbers are no one's data.
_UNSEEN = re.compile(
    r"(?is)<!--(?P<comment>.*?)(?:-->|\Z)|<(?P<tag>script|template)\b[^>]*>(?P<body>.*?)"
    r"(?:</(?P=tag)\s*>|\Z)"
)
_DATA_ATTRIBUTE = re.compile(
    r"""(?i)[\s"'](?:data-[\w.:-]*|value|placeholder|content|aria-label|label)\s*=\s*"""
    r"""(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"""
)
LARGE_HTML = 500_000
"""Documents longer than this many characters are read by the regex pass."""


class _TextParser(HTMLParser):
    """Collects visible text, with line breaks for block elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._skipping = 0
        self._quoted = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skipping += 1
        elif tag in _BLOCK:
            self._quoted += tag == "blockquote"
            self.chunks.append(_line_break(self._quoted))
        elif tag in _CELL:
            self.chunks.append("\t")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.chunks.append(_line_break(self._quoted))

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK:
            self._quoted = max(0, self._quoted - (tag == "blockquote"))
            self.chunks.append(_line_break(self._quoted))

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.chunks.append(data.translate(_DATA_SPACES))


def _line_break(quoted: int) -> str:
    """A line break, and the quote marks of the line it starts."""
    return "\n" + "> " * quoted


def html_to_text(markup: str) -> str:
    """Visible text of an HTML document (a regex tokenizer for very large documents)."""
    if len(markup) > LARGE_HTML:
        chunks = _scan(markup)
    else:
        parser = _TextParser()
        parser.feed(markup)
        parser.close()
        chunks = parser.chunks
    text = _SPACES.sub(" ", "".join(chunks))
    lines = (line.strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line.strip("> "))


def _scan(markup: str) -> list[str]:
    """The same visible text as :class:`_TextParser`, by one regex pass.

    html.parser costs ~10 us a tag, so a 30 MB part of bare tags would take
    minutes; this pass is linear and several times faster, at the price of
    cruder comments and attribute quoting.
    """
    chunks: list[str] = []
    skipping = quoted = 0
    for match in _TOKEN.finditer(markup):
        tag = match.group("tag")
        if tag is None:
            text = match.group("text")
            if text and not skipping:
                chunks.append(unescape(text).translate(_DATA_SPACES))
            continue
        name = tag.lower()
        closing = bool(match.group("end"))
        if name in _SKIP:
            skipping = max(0, skipping - 1) if closing else skipping + 1
        elif skipping:
            continue
        elif name in _BLOCK:
            if name == "blockquote":
                quoted = max(0, quoted - 1) if closing else quoted + 1
            chunks.append(_line_break(quoted))
        elif name in _CELL and not closing:
            chunks.append("\t")
    return chunks


def attribute_text(markup: str) -> str:
    """The alt and title texts and the addresses of links, pictures, forms and style sheets
    of a document, one a line (:func:`address_text`)."""
    if "=" not in markup and "url(" not in markup.lower():
        return ""
    values: list[str] = []
    for match in _ATTRIBUTE.finditer(markup):
        name, value = match.group(1).lower(), unescape(_value(match))
        values += [value] if name in ("alt", "title") else map(address_text, _targets(name, value))
    values += [address_text(unescape(_value(match, 1))) for match in _STYLE_URL.finditer(markup)]
    return "\n".join(" ".join(value.split()) for value in values if value.strip())


def addresses(markup: str) -> list[str]:
    """Every address of a document: link, picture, form and style sheet ``url()`` targets."""
    found = [target for match in _ATTRIBUTE.finditer(markup)
             for target in _targets(match.group(1).lower(), unescape(_value(match)))]
    return found + [unescape(_value(match, 1)) for match in _STYLE_URL.finditer(markup)]


def _targets(name: str, value: str) -> list[str]:
    """The addresses attribute ``name`` holds: its value, or each of a ``srcset``'s
    candidates ("a.png 1x, b.png 2x"); none for text."""
    if name == "srcset":
        return [candidate.split()[0] for candidate in value.split(",") if candidate.split()]
    return [value] if name in _ADDRESSES else []


def _value(match: re.Match[str], first: int = 2) -> str:
    """The one quoted or bare value an attribute pattern matched, from group ``first`` on."""
    return next(group for group in match.groups()[first - 1:] if group is not None)


def data_uri(address: str) -> tuple[str, bytes] | None:
    """(media type, bytes) of a ``data:`` address; None for another address or a damaged
    one."""
    match = _DATA_URI.fullmatch(address)
    if match is None:
        return None
    payload = match.group(4)
    try:
        data = (base64.b64decode("".join(payload.split()), validate=True) if match.group(3)
                else unquote_to_bytes(payload))
    except (binascii.Error, ValueError):
        return None
    return (match.group(1) or "text/plain").lower(), data


def address_text(address: str) -> str:
    """What an address carries to whoever follows it, percent-decoded: a ``mailto:`` or
    ``tel:`` target; a web address's path and query, its values apart (a tracking
    picture's ``?email=...``, a form link's ``?dob=...``), without its host."""
    if address.lower().startswith(_LINK_SCHEMES):
        return unquote(address.split(":", 1)[1])
    if address.lower().startswith(_OPAQUE_SCHEMES):
        return ""
    if (inline := data_uri(address)) is not None:  # a picture's bytes go to the image reader
        media, data = inline
        return "" if media.startswith("image/") else data.decode("utf-8", "replace")
    try:
        parts = urlsplit(address)
        rest = f"{parts.path}?{parts.query}#{parts.fragment}"
    except ValueError:  # a malformed host ("http://[x"): read it all
        rest = address
    for _ in range(_DECODINGS):
        decoded = unquote_plus(rest)
        if decoded == rest:
            break
        rest = decoded
    return _ADDRESS_SEPARATORS.sub(" ", rest)


def unseen_text(markup: str) -> str:
    """What a document carries but does not show: the text of its comments, its script and
    template bodies, and its data attributes, one a line."""
    if "<" not in markup:
        return ""
    lines = []
    for match in _UNSEEN.finditer(markup):
        comment = match.group("comment")
        lines.append(html_to_text(comment) if comment is not None else match.group("body"))
    for match in _DATA_ATTRIBUTE.finditer(markup):
        lines.append(unescape(_value(match, 1)))
    lines += [unescape(_value(match, 1)) for match in _STYLE_CONTENT.finditer(markup)]
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


def extract_html(leaf: Leaf, ctx: ParseContext) -> str:
    """The visible text of an HTML part; attribute text is the field ``<path>/links``, the
    text it does not show the field ``<path>/unseen``; pictures written into the document
    (``data:image/...``) go to the image reader when image reading is on."""
    markup = decode_text(
        leaf.data, leaf.charset, lambda kind, reason: ctx.note(kind, leaf.path, reason)
    )
    ctx.add_field(f"{leaf.path}/links", attribute_text(markup))
    ctx.add_field(f"{leaf.path}/unseen", unseen_text(markup))
    if ctx.images is not None and ctx.images.enabled and "data:" in markup:
        inline = filter(None, map(data_uri, addresses(markup)))
        pictures = [(media, data) for media, data in inline if media.startswith("image/")]
        for number, (media, data) in enumerate(pictures, 1):
            name = f"picture{number}.{media.split('/')[1]}"
            ctx.read_leaf(Leaf(path=f"{leaf.path}/{name}", content_type=media, data=data,
                               depth=leaf.depth + 1, filename=name, is_attachment=True))
    return html_to_text(markup)
