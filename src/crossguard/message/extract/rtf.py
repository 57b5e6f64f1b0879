"""RTF: ``.rtf`` documents and the RTF bodies of Outlook items (winmail.dat, ``.msg``).

striprtf reads the text: hex and Unicode escapes in the document's code page
(``\\ansicpg``) or font's character set, runs that formatting split joined again,
hidden text kept. It skips every "destination" group, among them text that is
content though no page shows it: the document information (title, author,
company...), headers and footers, footnotes, comments, field codes (a
hyperlink's target) and the tags of an HTML message Outlook wrapped in RTF (a
tracking picture's address, alt text). Those groups are made plain groups first,
so that striprtf reads them where they stand, in one pass over the document. A
wrapped HTML message (``\\fromhtml``) is then read as the HTML part ``<path>/html``.
"""

from __future__ import annotations

import codecs
import re

from striprtf.striprtf import rtf_to_text

from crossguard.message.context import Leaf, ParseContext
from crossguard.message.extract.embedded import read_ole1

MAGIC = b"{\\rtf"
TYPES = frozenset({"application/rtf", "application/x-rtf", "text/rtf"})
#: The control word of an HTML message wrapped in RTF, in the document's first bytes: its
#: text (tags included) is that message.
_FROM_HTML = b"\\fromhtml"
#: The control word of an embedded object's data.
_OBJECT_DATA = b"\\objdata"
_HEAD_BYTES = 1024
#: Destinations striprtf skips that hold text a reader of the file could see or find.
_CONTENT_DESTINATIONS = frozenset({
    "title", "subject", "author", "operator", "keywords", "comment", "doccomm", "company",
    "manager", "category", "hlinkbase", "header", "headerl", "headerr", "headerf", "footer",
    "footerl", "footerr", "footerf", "footnote", "annotation", "atnauthor", "atnid", "fldinst",
    "ffdeftext", "ffhelptext", "ffstattext", "ffname",
    "htmltag", "mhtmltag",  # the markup of an HTML message Outlook wrapped in RTF
})
#: Groups of binary data: pictures, embedded objects, themes and the like.
_BINARY_DESTINATIONS = frozenset({"pict", "nonshppict", "objdata", "datastore", "themedata",
                                  "colorschememapping", "blipuid", "fontemb", "fontfile"})
_BLIP = re.compile(r"\\(png|jpeg)blip\b")
_CONTROL_WORD = re.compile(r"\\[a-z]+-?\d* ?")
_HEX_NOISE = re.compile(r"[^0-9a-fA-F]")
_BRACES = re.compile(r"\\[\\{}]|[{}]")
_DESTINATION = re.compile(r"\{(?:\\\*)?\\([a-z]+)-?\d* ?")
#: An escaped brace or backslash (text), or a group opening with a content destination.
_CONTENT_NAMES = "|".join(sorted(_CONTENT_DESTINATIONS | {"info"}))
_CONTENT_GROUP = re.compile(rf"\\[\\{{}}]|\{{(?:\\\*)?\\(?:{_CONTENT_NAMES})(?![a-z])-?\d* ?")
_CODEPAGE = re.compile(rb"\\ansicpg(\d+)")
_DEFAULT_ENCODING = "cp1252"


def extract_rtf(leaf: Leaf, ctx: ParseContext) -> str:
    """The text of an RTF part. Its embedded objects are parts inside it (a package's file,
    a Word or Excel object: :mod:`embedded`); its PNG and JPEG pictures go to the image
    reader when image reading is on, as a Word document's do."""
    images = ctx.images is not None and ctx.images.enabled
    if images or _OBJECT_DATA in leaf.data:
        _read_binary_groups(leaf, ctx, images)
    text = rtf_text(leaf.data)
    if _FROM_HTML in leaf.data[:_HEAD_BYTES]:  # Outlook's wrapping of an HTML message
        ctx.read_leaf(Leaf(path=f"{leaf.path}/html", content_type="text/html",
                           data=text.encode("utf-8"), depth=leaf.depth + 1, charset="utf-8"))
        return ""
    return text


def _read_binary_groups(leaf: Leaf, ctx: ParseContext, images: bool) -> None:
    """Read the document's embedded objects, and its pictures when ``images``."""
    rtf = leaf.data.decode("latin-1")  # pictures and objects are hex: one-byte reading serves
    groups, at = [], 0
    for start, end in sorted(_groups(rtf)):  # outermost first; one inside is read with it
        if start >= at and (name := _destination(rtf, start, end)) in ("objdata", "pict"):
            groups.append((rtf[start:end], name))
            at = end
    objects = [data for group, name in groups if name == "objdata" and (data := _hex(group))]
    for number, data in enumerate(objects, 1):
        read_ole1(data, leaf, ctx, number)
    if not images:
        return
    pictures = [group for group, name in groups if name == "pict"]
    for number, (extension, data) in enumerate(filter(None, map(_picture, pictures)), 1):
        name = f"picture{number}.{extension}"
        ctx.read_leaf(Leaf(path=f"{leaf.path}/{name}", content_type=f"image/{extension}",
                           data=data, depth=leaf.depth + 1, filename=name, is_attachment=True))


def rtf_text(data: bytes) -> str:
    """The text of RTF ``data``, its unprinted content groups included."""
    encoding = _encoding(data)
    rtf = data.decode(encoding, errors="replace")  # 7-bit text; a stray 8-bit byte too
    plain_groups = _CONTENT_GROUP.sub(lambda match: match.group() if match.group()[0] == "\\"
                                      else "{", rtf)
    text = _plain(_without(plain_groups, _groups(plain_groups)), encoding)
    # \uN escapes are UTF-16 units: a pair is one character, a lone half none.
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _destination(rtf: str, start: int, end: int) -> str | None:
    """The control word opening the group ``rtf[start:end]``, if it opens with one."""
    opening = _DESTINATION.match(rtf, start, end)
    return opening.group(1) if opening is not None else None


def _without(rtf: str, groups: list[tuple[int, int]]) -> str:
    """``rtf`` without its picture, object and other binary groups: hex data that holds no
    text, and that striprtf would read a character at a time."""
    kept, at = [], 0
    for start, end in sorted(groups):
        if start >= at and _destination(rtf, start, end) in _BINARY_DESTINATIONS:
            kept.append(rtf[at:start])
            at = end
    kept.append(rtf[at:])
    return "".join(kept)


def _picture(group: str) -> tuple[str, bytes] | None:
    """(extension, bytes) of a PNG or JPEG picture group; None for other formats (metafiles
    an older reader draws instead) and damaged hex."""
    blip = _BLIP.search(group)
    if blip is None:
        return None
    data = _hex(group)
    return (("png" if blip.group(1) == "png" else "jpeg"), data) if data else None


def _hex(group: str) -> bytes | None:
    """The bytes a binary group's hex holds, its nested groups (``{\\*\\blipuid ...}``,
    picture properties) and control words left out; None for damaged hex."""
    inner = _outside_groups(group[1:-1])
    try:
        return bytes.fromhex(_HEX_NOISE.sub("", _CONTROL_WORD.sub("", inner)))
    except ValueError:
        return None


def _outside_groups(rtf: str) -> str:
    """``rtf`` without its groups, in one pass however deep they nest."""
    kept, depth, at = [], 0, 0
    for brace in _BRACES.finditer(rtf):
        if brace.group() == "{":
            if depth == 0:
                kept.append(rtf[at:brace.start()])
            depth += 1
        elif brace.group() == "}" and depth:
            depth -= 1
            if depth == 0:
                at = brace.end()
    if depth == 0:
        kept.append(rtf[at:])
    return "".join(kept)


def _plain(rtf: str, encoding: str) -> str:
    """striprtf's text of ``rtf``, ``encoding`` its code page unless it names one."""
    text: str = rtf_to_text(rtf, encoding=encoding, errors="replace")  # type: ignore[no-untyped-call]
    return text.strip()


def _encoding(data: bytes) -> str:
    """The document's code page (``\\ansicpgN``) as a Python codec; cp1252 when none is
    named or Python has no codec for it."""
    named = _CODEPAGE.search(data, 0, 4096)
    if named is None:
        return _DEFAULT_ENCODING
    codec = "utf-8" if named.group(1) == b"65001" else f"cp{int(named.group(1))}"
    try:
        return codecs.lookup(codec).name
    except LookupError:
        return _DEFAULT_ENCODING


def _groups(rtf: str) -> list[tuple[int, int]]:
    """The (start, end) of every brace group of ``rtf`` (escaped braces are text)."""
    groups = []
    open_at: list[int] = []
    for brace in _BRACES.finditer(rtf):
        if brace.group() == "{":
            open_at.append(brace.start())
        elif brace.group() == "}" and open_at:
            groups.append((open_at.pop(), brace.end()))
    return groups
