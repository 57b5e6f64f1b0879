"""Every ParseLimits limit: hitting it is a note (or, for the whole message, an error)."""

from __future__ import annotations

from random import Random

import pytest
from message_builders import mail, note_kinds, parse, paths

from crossguard.errors import MessageParseError
from crossguard.message import ParseLimits, parse_message
from crossguard.synth import documents
from crossguard.synth.malformed import deep_nesting, person, sample


def _with(data: bytes, filename: str, ctype: str = "application/octet-stream") -> bytes:
    message = mail("body", From="a@x.test")
    maintype, subtype = ctype.split("/")
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()


@pytest.mark.parametrize("raw", [b"", b"   \r\n\r\n"])
def test_empty_input_is_an_error(raw: bytes) -> None:
    with pytest.raises(MessageParseError, match="empty"):
        parse_message(raw, ParseLimits())


def test_max_message_bytes_is_an_error() -> None:
    raw = mail("x" * 500).as_bytes()
    with pytest.raises(MessageParseError, match="max_message_bytes=100") as caught:
        parse_message(raw, ParseLimits(max_message_bytes=100))
    assert "xxx" not in str(caught.value)


def test_non_bytes_is_an_error() -> None:
    with pytest.raises(MessageParseError, match="bytes"):
        parse_message("From: a@x.test\r\n\r\nhi", ParseLimits())  # type: ignore[arg-type]


def test_max_part_bytes() -> None:
    message = parse(_with(b"a" * 5000, "big.txt", "text/plain"), ParseLimits(max_part_bytes=1000))
    big = message.parts[1]
    assert (big.path, big.text, len(big.data)) == ("2/attachment:big.txt", "", 5000)
    assert [(n.kind, n.part) for n in message.notes] == [
        ("limit_part_size", "2/attachment:big.txt")
    ]


def test_max_depth_mime() -> None:
    raw = sample("deep_nesting", Random(1)).raw
    message = parse(raw, ParseLimits(max_depth=20))
    assert "limit_depth" in note_kinds(message)
    assert message.parts == []
    shallow = parse(raw, ParseLimits(max_depth=60))
    assert "limit_depth" not in note_kinds(shallow)
    assert len(shallow.parts) == 1
    assert shallow.parts[0].path == "1" + ".1" * 50


def test_max_depth_nested_archives() -> None:
    data = b"deepest"
    for level in range(6):
        data = documents.zip_bytes({f"l{level}.zip" if level else "x.txt": data})
    message = parse(_with(data, "n.zip", "application/zip"), ParseLimits(max_depth=4))
    assert "limit_depth" in note_kinds(message)
    assert all(part.text != "deepest" for part in message.parts)
    full = parse(_with(data, "n.zip", "application/zip"), ParseLimits(max_depth=10))
    assert full.parts[-1].text == "deepest"


def test_pathological_nesting_does_not_raise() -> None:
    raw = deep_nesting(Random(2), person(Random(2)), levels=3000).encode()
    message = parse(raw, ParseLimits(max_depth=20))
    assert "limit_depth" in note_kinds(message)


def test_max_parts() -> None:
    message = mail("first", From="a@x.test")
    for number in range(10):
        message.add_attachment(
            f"part {number}".encode(), maintype="text", subtype="plain", filename=f"{number}.txt"
        )
    parsed = parse(message, ParseLimits(max_parts=4))
    assert len(parsed.parts) == 4
    assert [n.kind for n in parsed.notes] == ["limit_parts"]


def test_max_text_chars() -> None:
    message = parse(mail("y" * 1000), ParseLimits(max_text_chars=100))
    assert len(message.parts[0].text) == 100
    assert note_kinds(message) == {"limit_text"}


def test_max_pdf_pages() -> None:
    data = documents.pdf([[f"page {n}"] for n in range(1, 6)])
    message = parse(_with(data, "p.pdf", "application/pdf"), ParseLimits(max_pdf_pages=2))
    text = message.parts[1].text
    assert "page 2" in text and "page 3" not in text
    assert note_kinds(message) == {"limit_pdf_pages"}


def test_max_archive_members() -> None:
    data = documents.zip_bytes({f"{n}.txt": b"x" for n in range(10)})
    message = parse(_with(data, "m.zip", "application/zip"), ParseLimits(max_archive_members=3))
    assert paths(message)[2:] == [
        "2/attachment:m.zip/0.txt",
        "2/attachment:m.zip/1.txt",
        "2/attachment:m.zip/2.txt",
    ]
    assert note_kinds(message) == {"limit_archive_members"}


def test_max_archive_total_bytes() -> None:
    data = documents.zip_bytes({f"{n}.txt": bytes([65 + n]) * 400 for n in range(5)})
    message = parse(
        _with(data, "t.zip", "application/zip"), ParseLimits(max_archive_total_bytes=1000)
    )
    assert len(message.parts) == 2 + 2
    assert note_kinds(message) == {"limit_archive_size"}


def test_max_archive_ratio_zip_bomb() -> None:
    message = parse(_with(documents.zip_bomb(8 * 1024 * 1024), "r.zip", "application/zip"))
    assert [(n.kind, n.part) for n in message.notes] == [
        ("zip_bomb", "2/attachment:r.zip/zeros.txt")
    ]
    relaxed = parse(
        _with(documents.zip_bomb(8 * 1024 * 1024), "r.zip", "application/zip"),
        ParseLimits(max_archive_ratio=1e9),
    )
    assert "zip_bomb" not in note_kinds(relaxed)
    assert len(relaxed.parts[-1].data) == 8 * 1024 * 1024


def test_small_compressible_member_is_no_bomb() -> None:
    data = documents.zip_bytes({"zeros.txt": bytes(500_000)})
    message = parse(_with(data, "s.zip", "application/zip"))
    assert message.notes == []
    assert len(message.parts[-1].data) == 500_000


def test_max_notes() -> None:
    message = mail("first", From="a@x.test")
    for number in range(30):
        message.add_attachment(
            bytes(range(256)), maintype="application", subtype="x-unknown", filename=f"{number}.bin"
        )
    parsed = parse(message, ParseLimits(max_notes=10))
    assert len(parsed.parts) == 31
    assert [n.kind for n in parsed.notes] == ["unsupported_type"] * 10 + ["limit_notes"]
