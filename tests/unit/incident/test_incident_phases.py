"""Phased and repeatable: a merge of two half-archive scans equals one scan of the whole."""

from __future__ import annotations

import csv
import json
import shutil
import stat
from pathlib import Path

from click.testing import CliRunner
from tests.unit.incident.world import Scan, World, run_scan

from crossguard.cli.main import cli
from crossguard.errors import ConfigError

#: Outputs that record the phases themselves, compared separately.
PHASE_FILES = ("changelog.json", "changelog.md", "art33.json", "art33.md")


def _files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes()
            for path in sorted(folder.rglob("*"))
            if path.is_file() and path.relative_to(folder).parts[0] != "phases"}


def _halves(archive: Path, folder: Path) -> tuple[Path, Path]:
    """The archive split at the mbox separator nearest its middle, in two new folders."""
    data = archive.read_bytes()
    cut = data.index(b"\nFrom ", len(data) // 2) + 1
    first, second = folder / "found-first" / "part1.mbox", folder / "found-later" / "part2.mbox"
    for path, part in ((first, data[:cut]), (second, data[cut:])):
        path.parent.mkdir()
        path.write_bytes(part)
    return first.parent, second.parent


def test_two_half_scans_merged_equal_one_scan_of_the_whole(world: World, scanned_run: Scan,
                                                           tmp_path: Path) -> None:
    first, second = _halves(world.archive, tmp_path)
    out = tmp_path / "merged"
    result = run_scan(world, out, scanned_run.config, [str(first)], scanned_run.options())
    phase_one = _files(out)
    assert "affected customers" in result.output
    result = run_scan(world, out, scanned_run.config, [str(second)],
                      [*scanned_run.options(), "--merge"])
    assert "70 affected customers" in result.output
    merged, whole = _files(out), _files(scanned_run.out)
    assert set(merged) == set(whole)
    differing = sorted(name for name in whole if merged[name] != whole[name])
    assert differing == sorted(PHASE_FILES), differing
    merged_draft = json.loads(merged["art33.json"])
    whole_draft = json.loads(whole["art33.json"])
    assert len(merged_draft.pop("phases")) == 2 and len(whole_draft.pop("phases")) == 1
    assert merged_draft == whole_draft
    cut = "## 8. Phases"
    assert merged["art33.md"].partition(cut.encode())[0] == \
        whole["art33.md"].partition(cut.encode())[0]

    assert _files(out / "phases" / "1") == phase_one, "the first phase's outputs are kept"
    for path in [out / "phases", *(out / "phases").rglob("*")]:
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path
    log = json.loads(merged["changelog.json"])
    assert [entry["phase"] for entry in log] == [1, 2]
    assert log[0]["sources"] == [str(first)] and log[1]["sources"] == [str(second)]
    assert log[0]["messages_read"] + log[1]["messages_read"] == 1_000
    assert log[0]["new_affected_customers"] + log[1]["new_affected_customers"] == 70
    assert log[0]["new_exposures"] + log[1]["new_exposures"] == 70 * 199
    assert sorted(log[0]["new_customer_ids"] + log[1]["new_customer_ids"]) == \
        world.truth.customer_ids
    assert 0 < log[0]["new_affected_customers"] < 70
    assert b"## Phase 2" in merged["changelog.md"]


def test_merge_refuses_a_folder_without_a_scan(world: World, scanned_run: Scan,
                                               tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, [
        "incident", "scan", str(world.archive), "--index", str(world.index),
        "--out", str(tmp_path / "nothing"), "--config", str(scanned_run.config), "--merge"])
    assert isinstance(result.exception, ConfigError)
    assert "not a crossguard incident scan output" in str(result.exception)
    assert not (tmp_path / "nothing").exists()


def test_without_email_addresses_no_letter_and_a_list_saying_so(scanned_run: Scan,
                                                                 tmp_path: Path) -> None:
    folder = Path(shutil.copytree(scanned_run.out, tmp_path / "out"))
    codes_only = tmp_path / "codes.csv"
    codes_only.write_text("customer_id,enrollment_code\nC0000001,IDP-1\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["incident", "report", str(folder),
                                      "--contacts-csv", str(codes_only)])
    assert result.exit_code == 0, result.output
    assert "0 letters in" in result.stdout
    assert "WARNING: 70 affected customers have no email address" in result.stderr
    assert list((folder / "letters").iterdir()) == []
    with (folder / "letters-missing-contacts.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 70 and {row["reason"] for row in rows} == {
        "no email for this customer in the contacts file"}
    result = CliRunner().invoke(cli, ["incident", "report", str(folder),
                                      "--contacts-csv", str(scanned_run.contacts)])
    assert result.exit_code == 0 and "70 letters in" in result.output
    assert not (folder / "letters-missing-contacts.csv").exists()
    assert len(list((folder / "letters").iterdir())) == 70
