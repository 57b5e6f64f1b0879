"""PDF text with pypdf: pages, form fields (a dynamic XFA form's data too), annotations,
document information and XMP metadata, and embedded files; page limit; encrypted or
broken files and pages become notes."""

from __future__ import annotations

import logging
import mimetypes
import warnings
import zlib
from collections.abc import Callable
from io import BytesIO

from pypdf import PageObject, PdfReader
from pypdf.generic import ArrayObject, EncodedStreamObject

from crossguard.message.context import Leaf, ParseContext, type_of
from crossguard.message.extract.properties import pdf_info, xml_values

# pypdf logs what it repairs in a damaged file and quotes the file's bytes while
# doing so ("invalid pdf header: b'4111 '"): the damage becomes a parse note here,
# and no byte of an attachment may reach a log line.
_PYPDF_LOG = logging.getLogger("pypdf")
_PYPDF_LOG.addHandler(logging.NullHandler())
_PYPDF_LOG.propagate = False


def extract_pdf(leaf: Leaf, ctx: ParseContext) -> str:
    """Text of the first ``max_pdf_pages`` pages, pages separated by form feeds."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _read(leaf, ctx)


def _read(leaf: Leaf, ctx: ParseContext) -> str:
    try:
        reader = PdfReader(BytesIO(leaf.data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            ctx.note("encrypted_pdf", leaf.path, "PDF is encrypted with a password; not read")
            return ""
        count = len(reader.pages)
    except RecursionError:
        raise
    except Exception as error:  # pypdf raises many types on damaged files
        ctx.note("unreadable_pdf", leaf.path, f"PDF cannot be opened: {type(error).__name__}")
        return ""
    ctx.add_field(f"{leaf.path}/properties",
                  _lines(pdf_info(_metadata(reader)), _stream_values(reader, _xmp)))
    ctx.add_field(f"{leaf.path}/form", _lines(_form_text(reader), _stream_values(reader, _xfa)))
    _read_attachments(leaf, ctx, reader)
    limit = ctx.limits.max_pdf_pages
    if count > limit:
        ctx.note("limit_pdf_pages", leaf.path, f"PDF has {count} pages; read max_pdf_pages={limit}")
    pages: list[str] = []
    notes: list[str] = []
    failed = 0
    for number in range(min(count, limit)):
        try:
            page = reader.pages[number]
            pages.append(page.extract_text() or "")
            notes.extend(_annotation_texts(page))
            if _undecodable_contents(page):
                failed += 1
        except RecursionError:
            raise
        except Exception:  # one bad page must not hide the others
            failed += 1
            continue
        _read_images(leaf, ctx, page, number + 1)
    if failed:
        ctx.note("unreadable_pdf_page", leaf.path, f"{failed} of {count} pages could not be read")
    ctx.add_field(f"{leaf.path}/annotations", "\n".join(notes))
    return "\f".join(pages)


def _undecodable_contents(page: PageObject) -> bool:
    """True when a content stream of ``page`` holds bytes, decodes to none and is no
    compressed empty stream: pypdf reads a damaged compressed stream (a truncated one a
    viewer may still show in part) as empty, without an error."""
    contents = page.get("/Contents")
    if contents is None:
        return False
    contents = contents.get_object()
    streams = contents if isinstance(contents, ArrayObject) else [contents]
    for stream in (item.get_object() for item in streams):
        # pypdf keeps no /Length once read: its encoded bytes are ``_data`` (tested).
        if (isinstance(stream, EncodedStreamObject) and stream._data
                and not stream.get_data() and not _inflates(stream._data)):
            return True
    return False


def _inflates(data: bytes) -> bool:
    """Whether ``data`` is a whole zlib stream (a blank page's compressed empty contents)."""
    try:
        zlib.decompress(data)
    except zlib.error:
        return False
    return True


def _form_text(reader: PdfReader) -> str:
    """The filled-in fields of a form, ``name: value`` a line (a value a page may not show)."""
    try:
        fields = reader.get_fields() or {}
    except Exception:  # a damaged form hides only the form
        return ""
    lines = []
    for name, field in fields.items():
        value = field.get("/V") if isinstance(field, dict) else None
        values = value if isinstance(value, list) else [value]
        shown = " ".join(str(item) for item in values if isinstance(item, str) and item.strip())
        if shown:
            lines.append(f"{name}: {shown}")
    return "\n".join(lines)


def _annotation_texts(page: PageObject) -> list[str]:
    """The text of a page's annotations (comments, sticky notes, free-text boxes)."""
    texts = []
    try:
        annotations = page.get("/Annots")
        for annotation in annotations.get_object() if annotations is not None else []:
            contents = annotation.get_object().get("/Contents")
            if isinstance(contents, str) and contents.strip():
                texts.append(contents)
    except Exception:  # a damaged annotation list hides only the annotations
        return texts
    return texts


def _read_attachments(leaf: Leaf, ctx: ParseContext, reader: PdfReader) -> None:
    """Read the files embedded in the PDF as parts inside it."""
    try:
        attachments = reader.attachments
        embedded = [(name, data) for name in attachments for data in attachments[name]]
    except Exception:  # pypdf fails in many ways on a damaged name tree
        ctx.note("unreadable_pdf", leaf.path, "the files embedded in the PDF cannot be read")
        return
    for name, data in embedded:
        ctx.read_leaf(
            Leaf(
                path=ctx.named(f"{leaf.path}/", name),
                content_type=type_of(name),
                data=bytes(data),
                depth=leaf.depth + 1,
                filename=name,
                is_attachment=True,
            )
        )


def _lines(*texts: str) -> str:
    return "\n".join(text for text in texts if text)


def _stream_values(reader: PdfReader, stream: Callable[[PdfReader], object]) -> str:
    """The text of an XML stream of the document (nothing when it is missing or damaged)."""
    try:
        data = stream(reader)
    except Exception:  # pypdf resolves objects lazily and raises many types
        return ""
    return xml_values(data) if isinstance(data, bytes) else ""


def _xmp(reader: PdfReader) -> object:
    """The document's XMP metadata (title, creator, keywords... as the authoring program
    last wrote them; they need not agree with the document information)."""
    metadata = reader.root_object.get("/Metadata")
    return metadata.get_object().get_data() if metadata is not None else None


def _xfa(reader: PdfReader) -> object:
    """The data of a dynamic (XFA) form: its values are not fields of the page."""
    return (reader.xfa or {}).get("datasets")


def _metadata(reader: PdfReader) -> object:
    try:
        return reader.metadata
    except Exception:  # a damaged info dictionary hides only the properties
        return None


def _read_images(leaf: Leaf, ctx: ParseContext, page: PageObject, number: int) -> None:
    """Pass a page's embedded images to the image reader when image reading is on."""
    if ctx.images is None or not ctx.images.enabled:
        return
    try:
        images = list(page.images)
    except Exception:  # image decoding in pypdf fails in many ways on odd filters
        ctx.note("unreadable_pdf_image", leaf.path, f"images of page {number} cannot be read")
        return
    for image in images:
        name = str(image.name)
        ctx.read_leaf(
            Leaf(
                path=ctx.named(f"{leaf.path}/page{number}/", name),
                content_type=mimetypes.guess_type(name)[0] or "image/png",
                data=bytes(image.data),
                depth=leaf.depth + 1,
                filename=name,
                is_attachment=True,
            )
        )
