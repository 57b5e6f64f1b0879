"""Files uuencoded into a text body (``uuencode export.csv | mail``) are read as parts."""

from __future__ import annotations

import base64
from collections.abc import Callable

from message_builders import mail, note_kinds, parse, part
from tests.corpus.shared import MIME_DATA

from crossguard.config import Settings
from crossguard.scan import Guard
from crossguard.synth.containers import uuencoded
from crossguard.synth.customers import Customer

CSV = b"name,ssn\nTerry Walker,536-22-1947\n" * 3


def test_a_uuencoded_file_is_a_part_named_by_its_file() -> None:
    message = parse(mail("Tonight's export:\n\n" + uuencoded("customers export.csv", CSV)))
    [inside] = [p for p in message.parts if p.path.startswith("1/")]
    assert inside.text == CSV.decode()
    assert "begin 644" not in part(message, "1").text
    assert [f.text for f in message.fields if f.path == f"{inside.path}/filename"] == [
        "customers export.csv"]
    assert not note_kinds(message)


def test_base64_blocks_and_lines_with_a_check_character_are_read() -> None:
    """``uuencode -m``; an encoder that ends each line with a check character."""
    blocks = f"begin-base64 600 c.csv\n{base64.encodebytes(CSV).decode()}====\n"
    lines = uuencoded("d.csv", CSV).split("\n")
    checked = "\n".join([lines[0], *(f"{line}M" for line in lines[1:-3]), *lines[-3:]])
    for body in (blocks, checked):
        message = parse(mail(body))
        assert [p.text for p in message.parts if p.path.startswith("1/")] == [CSV.decode()]


def test_the_outside_corpus_uuencoded_pictures_are_read() -> None:
    """MIME-tools' uu-zeegee.msg: two GIFs uuencoded into a plain body."""
    message = parse((MIME_DATA / "mime4j_mimetools" / "uu-zeegee.msg").read_bytes())
    pictures = [p for p in message.parts if p.path.startswith("1/")]
    assert [(p.path, p.data[:6]) for p in pictures] == [("1/up.gif", b"GIF87a"),
                                                       ("1/zeegee.gif", b"GIF87a")]
    assert note_kinds(message) == {"image_skipped"}  # image reading is off here


def test_what_a_block_holds_that_is_not_uuencoding_stays_text_and_is_noted() -> None:
    message = parse(mail("begin 644 bad.csv\nMnot uuencoding\nend\n"))
    assert "bad_uuencode" in note_kinds(message)
    assert "not uuencoding" in part(message, "1").text


def test_a_customers_data_uuencoded_to_another_is_held(
        make_settings: Callable[..., Settings], customers: list[Customer]) -> None:
    owner, reader = customers[1], customers[0]
    guard = Guard.from_settings(make_settings())
    export = uuencoded("export.csv", f"{owner.name},{owner.phone}\n".encode())
    body = f"Export attached.\n\n{export}"
    message = mail(body, From="care@example.com", To=reader.email)
    verdict = guard.check(message.as_bytes(), mail_from="care@example.com")
    assert verdict.action == "quarantine"
    assert owner.customer_id in [a.customer_id for a in verdict.attributions]


def test_begin_lines_without_an_end_are_read_in_one_pass() -> None:
    """120,000 'begin' lines and no 'end': each line is looked at once. A search from each
    begin line to the end of the text took 1.1 s for 4,000 and grew with the square
    (120,000: about 16 minutes, past the suite's timeout)."""
    text = "begin 644 x.txt\n" * 120_000 + "no end\n"
    message = parse(mail(text))
    assert part(message, "1").text == text
    assert [p.path for p in message.parts] == ["1"]
