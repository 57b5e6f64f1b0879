"""Real-world corpora (../shared/data/mime) and the generated malformed corpus."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from tests.corpus.shared import MIME_DATA, mime_files

from crossguard.errors import MessageParseError
from crossguard.message import Message, ParseLimits, parse_message, parse_outlook_msg
from crossguard.message.mime import parse_bytes
from crossguard.message.outlook import OLE_MAGIC
from crossguard.synth.malformed import KINDS, corpus

FILES = mime_files()
SAMPLE_SIZE = 300


def parse_file(data: bytes, limits: ParseLimits) -> Message:
    """Outlook files through parse_outlook_msg, everything else through parse_message."""
    if data.startswith(OLE_MAGIC):
        return parse_outlook_msg(data, limits)
    return parse_message(data, limits)


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(MIME_DATA)) for p in FILES])
def test_shared_mime_file_parses(path: Path, limits: ParseLimits) -> None:
    data = path.read_bytes()
    if not data.strip():
        with pytest.raises(MessageParseError, match="empty"):
            parse_file(data, limits)
        return
    message = parse_file(data, limits)
    assert message.parts or message.notes
    assert not [note for note in message.notes if note.kind == "internal_error"]


def test_a_tree_parsed_beforehand_gives_the_same_message(limits: ParseLimits) -> None:
    """``entity`` (the incident scan reads the headers first) spares a second parse only."""
    compared = 0
    for path in FILES:
        data = path.read_bytes()
        if data.strip() and not data.startswith(OLE_MAGIC):
            assert parse_message(data, limits, entity=parse_bytes(data)) == parse_message(
                data, limits), path.name
            compared += 1
    assert compared > 100


def test_shared_outlook_files_are_read_as_outlook(limits: ParseLimits) -> None:
    outlook = [path for path in FILES if path.read_bytes().startswith(OLE_MAGIC)]
    assert len(outlook) == 8  # outlook_msg/ holds 7, mailparser/mail_outlook_1 is one too
    for path in outlook:
        message = parse_outlook_msg(path.read_bytes(), limits)
        assert "unreadable_msg" not in {note.kind for note in message.notes}, path.name


@pytest.fixture(scope="module")
def malformed_results() -> list[tuple[str, frozenset[str], Message]]:
    """The first SAMPLE_SIZE generated messages (every kind, one 30 MB attachment), parsed."""
    limits = ParseLimits()
    return [(s.kind, s.expected_notes, parse_message(s.raw, limits)) for s in corpus(SAMPLE_SIZE)]


def test_malformed_sample_covers_every_kind(
    malformed_results: list[tuple[str, frozenset[str], Message]],
) -> None:
    kinds = Counter(kind for kind, _expected, _message in malformed_results)
    assert set(kinds) == set(KINDS)
    assert kinds["huge_attachment"] == 1


def test_every_problem_becomes_a_note(
    malformed_results: list[tuple[str, frozenset[str], Message]],
) -> None:
    for kind, expected, message in malformed_results:
        found = {note.kind for note in message.notes}
        assert expected <= found, f"{kind}: missing {sorted(expected - found)}"
        assert "internal_error" not in found, kind


def test_notes_name_no_content(
    malformed_results: list[tuple[str, frozenset[str], Message]],
) -> None:
    for _kind, _expected, message in malformed_results:
        for note in message.notes:
            assert "@mail.test" not in note.reason
            assert "202 555" not in note.reason
            assert len(note.reason) < 200


def test_well_formed_kinds_have_text(
    malformed_results: list[tuple[str, frozenset[str], Message]],
) -> None:
    for kind, _expected, message in malformed_results:
        if kind in ("plain", "html", "pdf_attachment", "office_attachments", "zip_attachment"):
            assert message.notes == [], kind
            assert all("+1 202 555" in part.text for part in message.parts if part.path == "1"), (
                kind
            )
