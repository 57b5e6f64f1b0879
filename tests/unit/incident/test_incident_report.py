"""`crossguard incident report`: the scan's outputs rendered again from exposures.jsonl."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.policy import default
from pathlib import Path

from click.testing import CliRunner, Result
from tests.unit.incident.world import AWARE, COMPANY, Scan, World

from crossguard.cli.main import cli
from crossguard.errors import ConfigError
from crossguard.incident.branding import Branding
from crossguard.incident.graph import Filters, build_graph
from crossguard.incident.report import render_html
from crossguard.incident.results import RenderOptions, read_results, write_results
from crossguard.incident.summary import clock_of, summary, summary_json
from crossguard.incident.worker import Hit, Outcome

RENDERED = ("report.html", "summary.json", "affected.csv", "notices.csv", "art33.json",
            "art33.md", "jurisdictions.csv", "changelog.md")
DAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _copy(scan: Scan, tmp_path: Path) -> Path:
    return Path(shutil.copytree(scan.out, tmp_path / "out"))


def _files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def _report(folder: Path, *options: str) -> Result:
    return CliRunner().invoke(cli, ["incident", "report", str(folder), *options])


def _letter(folder: Path, customer_id: str) -> str:
    message = message_from_bytes((folder / "letters" / f"{customer_id}.eml").read_bytes(),
                                 policy=default)
    return f"Subject: {message['Subject']}\n\n{message.get_content()}"


def test_same_options_as_the_scan_give_byte_identical_outputs(scanned_run: Scan,
                                                               tmp_path: Path) -> None:
    folder = _copy(scanned_run, tmp_path)
    before = _files(folder)
    assert len([name for name in before if name.startswith("letters/")]) == 70
    assert len([name for name in before if name.startswith("notices/")]) == 200
    shutil.rmtree(folder / "letters")
    shutil.rmtree(folder / "notices")
    for name in RENDERED:
        (folder / name).unlink()
    result = _report(folder, *scanned_run.options())
    assert result.exit_code == 0, result.output
    assert "70 affected customers" in result.output
    assert _files(folder) == before
    for name in RENDERED:
        (folder / name).unlink()
    assert _report(folder).exit_code == 0, "no option: the recorded ones"
    assert _files(folder) == before


def test_aware_at_changes_only_the_clock_and_sticks(scanned_run: Scan, tmp_path: Path) -> None:
    folder = _copy(scanned_run, tmp_path)
    before = _files(folder)
    result = _report(folder, "--aware-at", "2026-03-06T10:00", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    old = json.loads(before["summary.json"])
    assert data["clock"]["aware_at"] == "2026-03-06T10:00:00+00:00"
    assert data["clock"]["notification_deadline"] == "2026-03-09T10:00:00+00:00"
    assert {**data, "clock": None} == {**old, "clock": None}
    assert data["clock"]["first_exposure"] == old["clock"]["first_exposure"]
    after = _files(folder)
    assert b"2026-03-09T10:00:00+00:00" in after["report.html"]
    assert {name for name in before if before[name] != after[name]} == {
        "report.html", "summary.json", "exposures.jsonl", "art33.json", "art33.md",
        "jurisdictions.csv"}, "the clock and the deadlines that follow from it"
    assert b"2026-03-09T10:00:00+00:00" in after["art33.md"]
    assert _report(folder, "--company", "Other Co").exit_code == 0
    summary_data = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary_data["clock"]["aware_at"] == "2026-03-06T10:00:00+00:00"


def test_company_letter_template_with_its_own_subject(world: World, scanned_run: Scan,
                                                       tmp_path: Path) -> None:
    folder = _copy(scanned_run, tmp_path)
    template = tmp_path / "ours.txt.j2"
    template.write_text(
        '{%- set subject = "Notice for " ~ customer_id -%}\n'
        "Dear {{ customer_id }}, from {{ company }} ({{ contact }}).\n"
        "{{ messages }} messages to {{ recipients }} recipients, {{ period }}, "
        "first {{ first_exposure.strftime('%Y-%m-%d') }}.\n"
        "Kinds: {{ kinds | join(', ') }}. Seen: {{ evidence | join('; ') }}.\n"
        "Code: {{ enrollment_code or 'ask us' }}. {{ 'Addressed' if to else 'No address' }}.\n",
        encoding="utf-8")
    result = _report(folder, "--template", str(template), "--contact", "dpo@phones.example")
    assert result.exit_code == 0, result.output
    customer_id = world.truth.customer_ids[0]
    text = _letter(folder, customer_id)
    assert text.startswith(f"Subject: Notice for {customer_id}\n\nDear {customer_id}, "
                           f"from {COMPANY} (dpo@phones.example).\n")
    row = json.loads((folder / "summary.json").read_text(encoding="utf-8"))["affected"][0]
    first = datetime.fromisoformat(row["first_exposure"])
    assert f"1 messages to 199 recipients, on {first.day} {first:%B %Y}, first {first:%Y-%m-%d}." \
        in text
    assert f"Code: IDP-{customer_id[-4:]}. Addressed." in text, "contacts CSV re-read"
    assert "driving licence number" in text
    letters = "\0".join(_letter(folder, name) for name in world.truth.customer_ids)
    leaked = [value for value in world.raw_identifiers() if value in letters]
    assert not leaked, f"{len(leaked)} raw identifiers in the letters"
    assert _report(folder, "--aware-at", AWARE).exit_code == 0
    assert _letter(folder, customer_id) == text, "the template is kept for the next render"


def test_a_broken_template_is_an_error_and_changes_nothing(scanned_run: Scan,
                                                            tmp_path: Path) -> None:
    folder = _copy(scanned_run, tmp_path)
    before = _files(folder)
    undefined = tmp_path / "undefined.j2"
    undefined.write_text("Dear {{ customer_name }}\n", encoding="utf-8")
    result = _report(folder, "--template", str(undefined), "--aware-at", "2026-04-01")
    assert isinstance(result.exception, ConfigError)
    assert "'customer_name' is undefined" in str(result.exception)
    syntax = tmp_path / "syntax.j2"
    syntax.write_text("one\n{% if company %}\nno end\n", encoding="utf-8")
    result = _report(folder, "--template", str(syntax))
    assert isinstance(result.exception, ConfigError)
    assert f"{syntax}: line" in str(result.exception)
    assert _files(folder) == before


def test_a_folder_that_is_not_a_scan_output(scanned_run: Scan, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    shutil.copytree(scanned_run.out, tmp_path / "old",
                    ignore=shutil.ignore_patterns("exposures.jsonl"))
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "exposures.jsonl").write_text('{"customer": 1}\n', encoding="utf-8")
    messages = {}
    for name in ("absent", "empty", "old", "other"):
        result = _report(tmp_path / name)
        assert isinstance(result.exception, ConfigError), name
        messages[name] = str(result.exception)
    assert "not a crossguard incident scan output (no such folder)" in messages["absent"]
    assert "not a crossguard incident scan output (no exposures.jsonl" in messages["empty"]
    assert "written by an older crossguard" in messages["old"]
    assert "not a crossguard exposures file" in messages["other"]


def test_a_damaged_line_names_its_number_and_no_address(scanned_run: Scan,
                                                        tmp_path: Path) -> None:
    folder = _copy(scanned_run, tmp_path)
    path = folder / "exposures.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(n for n, line in enumerate(lines, start=1) if '"record": "edge"' in line)
    lines[number - 1] = lines[number - 1][:60] + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    result = _report(folder)
    assert isinstance(result.exception, ConfigError)
    assert str(result.exception) == f"{path}: line {number} is unreadable (JSONDecodeError)"


def test_exposures_jsonl_holds_no_raw_identifier_of_the_data(world: World,
                                                             scanned: Path) -> None:
    text = (scanned / "exposures.jsonl").read_text(encoding="utf-8")
    leaked = [value for value in world.raw_identifiers() if "@" not in value and value in text]
    assert not leaked, f"{len(leaked)} raw identifiers in exposures.jsonl"
    header = json.loads(text.partition("\n")[0])
    assert header["options"]["company"] == COMPANY and header["read"] == 1_000


def _hit_outcome(seq: int, when: datetime | None, message_id: str, *recipients: str,
                 customer: str = "C1", group: str | None = None) -> Outcome:
    evidence = (("PHONE", "+1 ***-***-3222"),)
    hits = tuple(Hit(customer, recipient, evidence, group) for recipient in recipients)
    return Outcome(seq, f"a.mbox#{seq}", message_id, when, "ann@yahoo.com", hits, None, True)


def test_round_trip_keeps_the_graph_exactly(tmp_path: Path) -> None:
    outcomes = [
        _hit_outcome(0, DAY, "<a@x>", "x@gmail.com", "y@corp.org"),
        _hit_outcome(1, DAY + timedelta(hours=4), "<a@x>", "z@gmail.com", group="list@example.com"),
        _hit_outcome(2, None, "<b@x>", "x@gmail.com", customer="C2"),
        replace(_hit_outcome(3, DAY, "<c@x>", "x@gmail.com"), sender="bob@gmail.com"),
        Outcome(4, "a.mbox#4", error="MessageParseError: empty message"),
    ]
    graph = build_graph(outcomes, Filters(sender_domain="yahoo.com", recipient_domain="gmail.com"))
    options = RenderOptions(DAY + timedelta(days=1), Branding("Acme", "dpo@acme.example"),
                            issued_at=DAY + timedelta(days=2), delay_reason="scope unclear")
    write_results(tmp_path, graph, options)
    loaded, loaded_options = read_results(tmp_path)
    assert loaded_options == options
    assert loaded.edges == graph.edges and loaded.exposing == graph.exposing
    assert loaded.senders == graph.senders and loaded.malformed == graph.malformed
    assert (loaded.read, loaded.evaluated, loaded.outside_filters) == (5, 4, 1)
    assert loaded.filters == graph.filters and len(loaded.edges) == 3
    clock = clock_of(graph, options.aware_at)
    assert summary_json(summary(loaded, clock)) == summary_json(summary(graph, clock))
    assert render_html(loaded, summary(loaded, clock), "Acme") == render_html(
        graph, summary(graph, clock), "Acme")


def test_config_replaces_the_recorded_letter_settings(world: World, scanned_run: Scan,
                                                      tmp_path: Path) -> None:
    folder = _copy(scanned_run, tmp_path)
    customer_id = world.truth.customer_ids[0]
    before = _letter(folder, customer_id)
    assert "has been disabled" in before and "We offer you" in before
    config = tmp_path / "later.toml"
    config.write_text('[incident]\ncompany_name = "Example Phones"\n'
                      'contact = "care@phones.example"\n', encoding="utf-8")
    assert _report(folder, "--config", str(config)).exit_code == 0
    after = _letter(folder, customer_id)
    assert "Write to care@phones.example." in after
    for claim in ("has been disabled", "We offer you", "IDP-", "data protection officer",
                  "now checked before it leaves"):
        assert claim not in after, claim
    assert _report(folder).exit_code == 0
    assert _letter(folder, customer_id) == after, "the new settings are recorded"
