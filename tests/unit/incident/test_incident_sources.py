"""Archive readers: mbox escaping, gzip, Maildir, .eml folders, Outlook .msg, the stores of
Thunderbird and Apple Mail."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests.corpus.shared import OUTLOOK_DATA

from crossguard.cli.incident import skipped_line
from crossguard.errors import ConfigError
from crossguard.incident.sources import read_sources, split_mbox
from crossguard.synth.archive import mbox_entry

WHEN = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FIRST = b"From: a@example.com\nTo: b@gmail.com\nSubject: one\n\nFrom here on\n>From quoted\nend\n"
SECOND = b"From: c@example.com\nTo: d@gmail.com\nSubject: two\n\nbody two\n"


def test_mbox_round_trip_unescapes_from_lines() -> None:
    data = mbox_entry(FIRST, WHEN) + mbox_entry(SECOND, WHEN)
    assert b"\n>From here on\n>>From quoted\n" in data
    assert list(split_mbox(data)) == [FIRST, SECOND]


def test_mbox_gz_and_plain_give_the_same_items(tmp_path: Path) -> None:
    data = mbox_entry(FIRST, WHEN) + mbox_entry(SECOND, WHEN)
    (tmp_path / "a.mbox").write_bytes(data)
    with gzip.open(tmp_path / "b.mbox.gz", "wb") as handle:
        handle.write(data)
    plain = list(read_sources([tmp_path / "a.mbox"]))
    packed = list(read_sources([tmp_path / "b.mbox.gz"]))
    assert [item.raw for item in plain] == [item.raw for item in packed] == [FIRST, SECOND]
    name = tmp_path / "a.mbox"
    assert [item.source for item in plain] == [f"{name}#0", f"{name}#1"]


def test_folder_walk_reads_maildir_eml_and_numbers_in_order(tmp_path: Path) -> None:
    maildir = tmp_path / "box"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    (maildir / "new" / "1700000000.M1.host").write_bytes(SECOND)
    (maildir / "cur" / "1600000000.M1.host:2,S").write_bytes(FIRST)
    (maildir / "tmp" / "partial").write_bytes(b"half written")
    (tmp_path / "loose.eml").write_bytes(FIRST)
    (tmp_path / "notes.txt").write_text("not mail", encoding="utf-8")
    items = list(read_sources([tmp_path]))
    assert [item.raw for item in items] == [FIRST, SECOND, FIRST]
    assert [item.seq for item in items] == [0, 1, 2]
    assert items[2].source.endswith("loose.eml")


def test_outlook_msg_is_marked_for_the_msg_parser(tmp_path: Path) -> None:
    source = OUTLOOK_DATA / "test_Blammo.msg"
    target = tmp_path / "x.msg"
    target.write_bytes(source.read_bytes())
    (item,) = read_sources([target])
    assert item.outlook and item.raw == source.read_bytes()


def test_missing_path_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        list(read_sources([tmp_path / "absent.mbox"]))


def test_mail_programs_stores_are_read_whatever_their_names(tmp_path: Path) -> None:
    """A Thunderbird folder (an mbox named "Sent", beside its .msf index), Apple Mail's
    export (Inbox.mbox/mbox) and its message files (.emlx: the size, the message, a
    property list). Each was skipped by the folder walk: nothing read, no word said."""
    mbox = mbox_entry(FIRST, WHEN) + mbox_entry(SECOND, WHEN)
    (tmp_path / "Local Folders").mkdir()
    (tmp_path / "Local Folders" / "Sent").write_bytes(mbox)
    (tmp_path / "Local Folders" / "Sent.msf").write_bytes(b"// <!-- <mdb:mork:z v=\"1.4\"/> -->")
    (tmp_path / "Inbox.mbox").mkdir()
    (tmp_path / "Inbox.mbox" / "mbox").write_bytes(mbox)
    (tmp_path / "Inbox.mbox" / "table_of_contents").write_bytes(bytes(64))
    plist = b"<?xml version=\"1.0\"?>\n<plist version=\"1.0\"><dict/></plist>\n"
    (tmp_path / "12.emlx").write_bytes(b"%d\n" % len(SECOND) + SECOND + plist)
    skipped: list[Path] = []
    items = list(read_sources([tmp_path], skipped.append))
    assert [item.raw for item in items] == [SECOND, FIRST, SECOND, FIRST, SECOND]
    assert sorted(path.name for path in skipped) == ["Sent.msf", "table_of_contents"]
    assert skipped_line(skipped) == "skipped 2 files that hold no mail (.msf 1, no suffix 1)"
    assert [Path(item.source).name for item in items] == [
        "12.emlx", "mbox#0", "mbox#1", "Sent#0", "Sent#1"]


def test_a_path_without_mail_is_an_error_not_an_empty_scan(tmp_path: Path) -> None:
    """An empty report would say nobody was affected."""
    (tmp_path / "notes.txt").write_text("not mail", encoding="utf-8")
    with pytest.raises(ConfigError, match="no mail found"):
        list(read_sources([tmp_path]))
    (tmp_path / "empty.mbox").write_bytes(b"")
    with pytest.raises(ConfigError, match=r"empty\.mbox: no mail found"):
        list(read_sources([tmp_path / "empty.mbox"]))
