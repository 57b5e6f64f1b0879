"""Office documents (DOCX, XLSX, PPTX, ODT, ODS, ODP): zip members' XML to text.

Members are read through :mod:`zipread`, so an office file is held to the
same archive limits as a zip. Tracked deletions, field codes and pictures' alt
text are read with the text; so are a presentation's masters and layouts, and a
spreadsheet's sheet names, headers and footers, input prompts, the strings of
its formulas and names, the text of its text boxes and charts, and the source data its
pivot tables keep. The comments
of cells and slides are the field ``<path>/comments``; the document properties and
the custom XML data (``customXml/item1.xml``: a content control's bound record), a
letter's document variables and the values a workbook keeps of the workbooks it links
to, the field ``<path>/properties``. Embedded documents are parts inside the document.
Embedded pictures go to the image reader when image reading is enabled.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from io import BytesIO
from pathlib import PurePosixPath

from crossguard.core.mask import mask_words
from crossguard.message.context import Leaf, ParseContext, type_of
from crossguard.message.extract import archive as zip_archive
from crossguard.message.extract.ole import ole_kind
from crossguard.message.extract.properties import OFFICE_PROPERTIES, xml_values
from crossguard.message.extract.zipread import Archive, open_archive
from crossguard.message.outlook import OLE_MAGIC

_DOCX = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes|comments|"
                   r"charts/chart\d+)\.xml")
_PPTX = re.compile(r"ppt/(slides/slide|notesSlides/notesSlide|slideMasters/slideMaster|"
                   r"slideLayouts/slideLayout|notesMasters/notesMaster|"
                   r"handoutMasters/handoutMaster|charts/chart)\d+\.xml")
_XLSX_SHEET = re.compile(r"xl/worksheets/sheet\d+\.xml")
# A spreadsheet's text outside its cells: text boxes and shapes, chart titles.
_XLSX_DRAWING = re.compile(r"xl/(drawings/drawing|charts/chart)\d+\.xml")
_MEDIA = re.compile(r"(word|xl|ppt)/media/[^/]+|Pictures/[^/]+")
# Comments a spreadsheet's cells or a presentation's slides carry (a document's are text).
_COMMENTS = re.compile(r"xl/comments\d*\.xml|xl/threadedComments/[^/]+\.xml|"
                       r"ppt/comments/[^/]+\.xml")
# Documents embedded in a document (a spreadsheet in a letter): read as parts inside it.
# An OLE object (oleObject1.bin) is read when it holds a file (a package, a Word or Excel
# file); one with no text to read (an equation, an old chart) is left, as a note on each
# would hold every letter carrying one.
_EMBEDDED = re.compile(r"(word|xl|ppt)/embeddings/[^/]+|Object \d+/content\.xml")
#: The values a workbook keeps of the workbooks its formulas link to.
_XLSX_EXTERNAL = re.compile(r"xl/externalLinks/externalLink\d+\.xml")
#: A pivot table's cache: its definition (fields and their shared items) and records.
_PIVOT_CACHE = re.compile(r"xl/pivotCache/pivotCacheDefinition(\d+)\.xml")
#: Data an Office 2007+ document carries for its content controls and the system that made
#: it (a CRM's customer record, SharePoint's columns): read with its properties, shown or not.
_CUSTOM_XML = re.compile(r"customXml/item\d+\.xml")
_NUMBER = re.compile(r"\d+")
_ODF_SPACES = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}c"
#: Where a picture or shape keeps its alt text (``descr``) and its title.
_ALT_TEXT_HOLDERS = frozenset({"docPr", "cNvPr"})
_ALT_TEXT = ("descr", "title")
#: A header or footer's formatting codes (``&"Arial,Bold"``, ``&12``, ``&P``): not its text.
_HEADER_FOOTER_CODES = re.compile(r'&(?:"[^"]*"|\d+|.)', re.DOTALL)
_HEADERS_FOOTERS = frozenset({"oddHeader", "oddFooter", "evenHeader", "evenFooter",
                              "firstHeader", "firstFooter"})
#: The text an input rule shows when its cell is chosen or given a wrong value.
_PROMPTS = ("promptTitle", "prompt", "errorTitle", "error")
_FORMULA_STRING = re.compile(r'"((?:[^"]|"")*)"')


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _natural(name: str) -> tuple[int, str]:
    match = _NUMBER.search(PurePosixPath(name).name)
    return (int(match.group(0)) if match else 0, name)


def ooxml_text(xml: bytes) -> str:
    """Text of a WordprocessingML or DrawingML part: runs, tabs, breaks, paragraphs."""
    out: list[str] = []
    for _event, element in ElementTree.iterparse(BytesIO(xml), events=("end",)):
        name = _local(element.tag)
        if name in ("t", "delText", "instrText"):  # text, tracked deletions, field codes
            out.append(element.text or "")
        elif name == "tab":
            out.append("\t")
        elif name in ("br", "cr"):
            out.append("\n")
        elif name == "p":
            out.append("\n")
            element.clear()
        elif name in _ALT_TEXT_HOLDERS:  # a picture's or a shape's alt text and title
            out += [f"{value}\n" for key in _ALT_TEXT if (value := element.get(key))]
    return "".join(out)


def xlsx_text(shared_xml: bytes | None, sheets: list[bytes]) -> str:
    """Cell values of every sheet, one row per line, cells separated by tabs; then each
    sheet's headers, footers and input prompts, a line each."""
    shared: list[str] = []
    if shared_xml:
        for _event, element in ElementTree.iterparse(BytesIO(shared_xml), events=("end",)):
            if _local(element.tag) == "si":
                shared.append("".join(t.text or "" for t in element.iter() if _local(t.tag) == "t"))
                element.clear()
    lines: list[str] = []
    for sheet in sheets:
        cells: list[str] = []
        for _event, element in ElementTree.iterparse(BytesIO(sheet), events=("end",)):
            name = _local(element.tag)
            if name == "c":
                cells.append(_cell(element, shared))
            elif name == "row":
                lines.append("\t".join(cell for cell in cells if cell))
                cells = []
                element.clear()
            elif name in _HEADERS_FOOTERS:
                lines.append(_HEADER_FOOTER_CODES.sub(" ", element.text or ""))
            elif name == "dataValidation":
                lines += [value for key in _PROMPTS if (value := element.get(key))]
    return "\n".join(lines)


def _cell(element: ElementTree.Element, shared: list[str]) -> str:
    """A cell's value, and the strings its formula holds (a formula saved by a program that
    does not compute it has no value: ``="Terry Walker"``)."""
    kind = element.get("t")
    value = next((c.text or "" for c in element if _local(c.tag) == "v"), "")
    formula = next((c.text or "" for c in element if _local(c.tag) == "f"), "")
    strings = " ".join(formula_strings(formula)) if '"' in formula else ""
    if kind == "s":
        index = int(value) if value.isdigit() else -1
        value = shared[index] if 0 <= index < len(shared) else ""
    elif kind == "inlineStr":
        value = "".join(t.text or "" for t in element.iter() if _local(t.tag) == "t")
    return f"{value} {strings}" if value and strings else value or strings


def formula_strings(formula: str) -> list[str]:
    """The string constants of a formula (``""`` within one is a quote)."""
    return [found.replace('""', '"') for found in _FORMULA_STRING.findall(formula)]


def workbook_text(xml: bytes) -> str:
    """A workbook's sheet names and the strings of its defined names, a line each."""
    lines: list[str] = []
    for _event, element in ElementTree.iterparse(BytesIO(xml), events=("end",)):
        name = _local(element.tag)
        if name == "sheet":
            lines.append(element.get("name") or "")
        elif name == "definedName":
            lines += formula_strings(element.text or "")
    return "\n".join(line for line in lines if line)


def odf_text(xml: bytes) -> str:
    """Paragraph and heading text of an OpenDocument content.xml."""
    out: list[str] = []
    for _event, element in ElementTree.iterparse(BytesIO(xml), events=("end",)):
        if _local(element.tag) in ("p", "h"):
            out.append(_odf_inline(element) + "\n")
            element.clear()
    return "".join(out)


def _odf_inline(element: ElementTree.Element) -> str:
    parts = [element.text or ""]
    for child in element:
        name = _local(child.tag)
        if name == "s":
            count = child.get(_ODF_SPACES, "1")
            parts.append(" " * min(int(count) if count.isdigit() else 1, 100))
        elif name == "tab":
            parts.append("\t")
        elif name == "line-break":
            parts.append("\n")
        else:
            parts.append(_odf_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def extract_office(leaf: Leaf, ctx: ParseContext) -> str:
    """Text of an office document; a zip that is not one is read as an archive."""
    archive = open_archive(leaf, ctx)
    if archive is None:
        return ""
    with archive.zip:
        names = sorted(archive.names(), key=_natural)
        reader = _reader_for(names)
        if reader is None:
            return zip_archive.extract_zip(leaf, ctx)
        try:
            text = reader(archive, names)
        except (ElementTree.ParseError, ValueError):
            ctx.note("bad_office_xml", leaf.path, "document XML is not well-formed")
            text = ""
        _read_media(archive, names)
        _read_embedded(archive, names)
        properties = [xml_values(data) for name in names
                      if (name in OFFICE_PROPERTIES or _CUSTOM_XML.fullmatch(name)
                          or _XLSX_EXTERNAL.fullmatch(name)) and (data := _member(archive, name))]
        if "word/settings.xml" in names and (settings := _member(archive, "word/settings.xml")):
            properties.append(document_variables(settings))
        ctx.add_field(f"{leaf.path}/properties", "\n".join(text for text in properties if text))
        comments = [_member(archive, name) for name in names if _COMMENTS.fullmatch(name)]
        texts = [*(xml_values(data) for data in comments if data), archive.comments()]
        ctx.add_field(f"{leaf.path}/comments", "\n".join(text for text in texts if text))
    return text


def _reader_for(names: list[str]) -> Callable[[Archive, list[str]], str] | None:
    present = set(names)
    if "word/document.xml" in present:
        return lambda archive, names: _joined(archive, [n for n in names if _DOCX.fullmatch(n)])
    if "xl/workbook.xml" in present:
        return _read_xlsx
    if "ppt/presentation.xml" in present:
        return lambda archive, names: _joined(archive, [n for n in names if _PPTX.fullmatch(n)])
    if "content.xml" in present:  # styles.xml: the master pages' headers and footers
        return lambda archive, names: "\n".join(
            odf_text(data) for name in ("content.xml", "styles.xml")
            if name in present and (data := _member(archive, name)))
    return None


def _member(archive: Archive, name: str) -> bytes | None:
    return archive.read(archive.zip.getinfo(name), f"{archive.leaf.path}/{mask_words(name)}")


def _joined(archive: Archive, names: list[str]) -> str:
    return "\n".join(ooxml_text(data) for name in names if (data := _member(archive, name)))


def _read_xlsx(archive: Archive, names: list[str]) -> str:
    shared = _member(archive, "xl/sharedStrings.xml") if "xl/sharedStrings.xml" in names else None
    sheets = [data for n in names if _XLSX_SHEET.fullmatch(n) and (data := _member(archive, n))]
    workbook = _member(archive, "xl/workbook.xml")
    drawings = _joined(archive, [name for name in names if _XLSX_DRAWING.fullmatch(name)])
    return "\n".join(text for text in (xlsx_text(shared, sheets),
                                        workbook_text(workbook) if workbook else "", drawings,
                                        *_pivot_caches(archive, names))
                      if text)


def _pivot_caches(archive: Archive, names: list[str]) -> list[str]:
    """The text of each pivot cache of the workbook."""
    texts = []
    for name in names:
        match = _PIVOT_CACHE.fullmatch(name)
        definition = _member(archive, name) if match else None
        if match is None or definition is None:
            continue
        records = f"xl/pivotCache/pivotCacheRecords{match.group(1)}.xml"
        texts.append(pivot_cache_text(definition,
                                      _member(archive, records) if records in names else None))
    return texts


def document_variables(settings: bytes) -> str:
    """The values of a Word document's variables (``w:docVar``, in word/settings.xml), a
    line each: where templates and mail merges keep data the page need not show."""
    values = []
    for _event, element in ElementTree.iterparse(BytesIO(settings), events=("end",)):
        if _local(element.tag) == "docVar":
            values += [value for key, value in element.attrib.items() if _local(key) == "val"]
    return "\n".join(values)


def pivot_cache_text(definition: bytes, records: bytes | None) -> str:
    """The data a pivot table was made from, as its cache keeps it: each record a line,
    fields apart by tabs (a record names a field's shared item by number, or holds its
    value); without records, each field's shared items. The rows stay in the workbook
    when their sheet is deleted."""
    fields: list[list[str]] = []
    for _event, element in ElementTree.iterparse(BytesIO(definition), events=("end",)):
        if _local(element.tag) == "cacheField":
            items = next((child for child in element if _local(child.tag) == "sharedItems"),
                         None)
            fields.append([] if items is None else [_pivot_value(item) for item in items])
            element.clear()
    if records is None:
        return "\n".join(value for items in fields for value in items if value)
    lines = []
    for _event, element in ElementTree.iterparse(BytesIO(records), events=("end",)):
        if _local(element.tag) == "r":
            lines.append("\t".join(_record_value(fields, number, value)
                                   for number, value in enumerate(element)))
            element.clear()
    return "\n".join(line for line in lines if line.strip())


def _record_value(fields: list[list[str]], number: int, value: ElementTree.Element) -> str:
    """A record's value of field ``number``: its shared item (``<x v="3"/>``) or itself."""
    if _local(value.tag) != "x":
        return _pivot_value(value)
    items = fields[number] if number < len(fields) else []
    index = value.get("v", "")
    return items[int(index)] if index.isdigit() and int(index) < len(items) else ""


def _pivot_value(item: ElementTree.Element) -> str:
    """A cache value: text (``s``), number (``n``), date (``d``), error (``e``); none for a
    missing one (``m``) or a boolean."""
    return item.get("v", "") if _local(item.tag) in ("s", "n", "d", "e") else ""


def _read_media(archive: Archive, names: list[str]) -> None:
    """Pass embedded pictures to the image reader when image reading is on."""
    ctx = archive.ctx
    if ctx.images is not None and ctx.images.enabled:
        _read_members(archive, [name for name in names if _MEDIA.fullmatch(name)])


def _read_embedded(archive: Archive, names: list[str]) -> None:
    """Read the documents embedded in the document as parts inside it."""
    _read_members(archive, [name for name in names if _EMBEDDED.fullmatch(name)],
                  lambda data: not data.startswith(OLE_MAGIC) or ole_kind(data) is not None)


def _read_members(archive: Archive, names: list[str],
                  wanted: Callable[[bytes], bool] = lambda data: True) -> None:
    """Read members of the document's package as parts inside it."""
    ctx, leaf = archive.ctx, archive.leaf
    for name in names:
        data = _member(archive, name)
        if data is None or not wanted(data):
            continue
        base = PurePosixPath(name).name
        ctx.read_leaf(
            Leaf(
                path=ctx.named(f"{leaf.path}/", name),
                content_type=type_of(base),
                data=data,
                depth=leaf.depth + 1,
                filename=base,
                is_attachment=True,
            )
        )
