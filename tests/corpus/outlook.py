"""Outlook items for tests: the outside corpus's samples with streams added or replaced
(extract-msg's OleWriter), so that one item carries bodies that disagree."""

from __future__ import annotations

from io import BytesIO

from tests.corpus.shared import OUTLOOK_DATA

HTML_BODY = "__substg1.0_10130102"  # PR_HTML
RTF_BODY = "__substg1.0_10090102"  # PR_RTF_COMPRESSED
ANSI_TEXT_BODY = "__substg1.0_1000001E"  # PR_BODY in an item of 8-bit strings


def edited(sample: str, streams: dict[str, bytes]) -> bytes:
    """``sample`` (a file of the outside corpus's outlook_msg/) with ``streams`` set."""
    import olefile
    from extract_msg.ole_writer import OleWriter

    writer = OleWriter()
    with olefile.OleFileIO(str(OUTLOOK_DATA / sample)) as ole:
        writer.fromOleFile(ole)
        present = {"/".join(path) for path in ole.listdir()}
    for name, data in streams.items():
        if name in present:
            writer.editEntry(name, data=data)
        else:
            writer.addEntry(name, data)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def compressed_rtf(rtf: bytes) -> bytes:
    """An RTF body as Outlook stores it."""
    import compressed_rtf as codec

    return bytes(codec.compress(rtf))
