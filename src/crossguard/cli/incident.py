"""`crossguard incident scan|report`: whose data reached whom, from a mail archive."""

from __future__ import annotations

import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from crossguard.cli.options import F, config_option, index_option, json_option, settings_for
from crossguard.errors import ConfigError
from crossguard.incident import runner
from crossguard.incident.branding import Branding
from crossguard.incident.graph import Filters
from crossguard.incident.letters import MISSING_FILE
from crossguard.incident.rerender import ReportRequest, rerender
from crossguard.incident.scoping import ScopeRequest, scope
from crossguard.incident.summary import summary_json
from crossguard.scan import GuardSpec


def _contacts_option(function: F) -> F:
    return click.option(
        "--contacts-csv", type=click.Path(path_type=Path, dir_okay=False, exists=True),
        default=None, help="customer_id[,email][,enrollment_code][,language][,country]"
        "[,state]: where the letters go (without it no letter is written).")(function)


def _render_options(function: F) -> F:
    """--customers, --issued-at and --delay-reason, for both scan and report."""
    for option in reversed((
        click.option("--customers", "customers_csv", default=None,
                     type=click.Path(path_type=Path, dir_okay=False, exists=True),
                     help="The customer table CSV: country and address give each affected "
                          "customer's jurisdiction."),
        click.option("--issued-at", default=None,
                     help="Date of the letters, notices and drafts (ISO; default: now at the "
                          "scan, then kept)."),
        click.option("--delay-reason", default=None,
                     help="Why the authority is notified after 72 hours (Art. 33(1))."),
    )):
        function = option(function)
    return function


@click.group()
def incident() -> None:
    """Incident scoping: exactly whose data reached whom."""


@incident.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@index_option
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Folder for report.html, the CSVs, summary.json and letters/.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Local Dask worker processes (default: incident.workers).")
@click.option("--scheduler", default=None, help="Use the Dask cluster at tcp://HOST:PORT.")
@config_option
@click.option("--since", default=None, help="Only messages dated at or after (ISO date/time).")
@click.option("--until", default=None, help="Only messages dated before (ISO date/time).")
@click.option("--sender-domain", default=None, help="Only messages from this domain.")
@click.option("--recipient-domain", default=None, help="Only exposures to this domain.")
@click.option("--aware-at", default=None,
              help="When the company became aware (ISO); starts the 72-hour clock.")
@click.option("--company", default=None, help="Company name in the report and letters.")
@click.option("--contact", default=None, help="Contact address given in the letters.")
@_contacts_option
@_render_options
@click.option("--merge", is_flag=True,
              help="Add these archives to the incident already in --out (a new phase).")
@json_option
def scan(paths: tuple[Path, ...], index_path: Path | None, out: Path, workers: int | None,
         scheduler: str | None, config_path: Path | None, since: str | None, until: str | None,
         sender_domain: str | None, recipient_domain: str | None, aware_at: str | None,
         company: str | None, contact: str | None, contacts_csv: Path | None,
         customers_csv: Path | None, issued_at: str | None, delay_reason: str | None,
         merge: bool, as_json: bool) -> int:
    """Scan mbox (.mbox.gz, Thunderbird folders), Maildir, .eml, .emlx and .msg archives;
    write the incident report."""
    settings = settings_for(config_path)
    index = index_path or settings.index.path
    if index is None:
        raise ConfigError("no index: pass --index or set index.path in the config")
    request = ScopeRequest(
        paths=paths, out=out,
        cluster=runner.Cluster(workers or settings.incident.workers, scheduler,
                               settings.incident.batch_size, settings.incident.connect_timeout),
        filters=Filters(_when(since, "--since"), _when(until, "--until"), sender_domain,
                        recipient_domain),
        aware_at=_when(aware_at, "--aware-at"), company=company, contact=contact,
        contacts_csv=contacts_csv, customers_csv=customers_csv,
        issued_at=_when(issued_at, "--issued-at"), delay_reason=delay_reason, merge=merge,
    )
    console = Console(file=sys.stderr)
    with Progress(TextColumn("scanning"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("scan", total=None)
        read = [0]

        def on_read(count: int) -> None:
            read[0] += count

        skipped: list[Path] = []
        hooks = runner.Progress(
            read=on_read,
            done=lambda count: bar.update(task, advance=count),
            finished_reading=lambda total: bar.update(task, total=total),
            skipped=skipped.append,
        )
        _, data = scope(GuardSpec(settings, index.resolve()), settings.incident, request, hooks)
    if skipped:
        click.echo(skipped_line(skipped), err=True)
    if as_json:
        click.echo(summary_json(data), nl=False)
    else:
        _print(data, out)
    return 0


def skipped_line(paths: list[Path]) -> str:
    """What the scan left unread, by suffix (a file name can hold an identifier: not
    named): ``skipped 12 files that hold no mail (.pdf 10, .txt 2)``."""
    suffixes = Counter(_suffix(path) for path in paths)
    listed = ", ".join(f"{suffix} {count}" for suffix, count
                       in sorted(suffixes.items(), key=lambda item: (-item[1], item[0])))
    plural = "" if len(paths) == 1 else "s"
    return f"skipped {len(paths)} file{plural} that hold no mail ({listed})"


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    return suffix if 1 < len(suffix) <= 8 and suffix[1:].isalnum() else "no suffix"


@incident.command()
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
@click.option("--aware-at", default=None,
              help="When the company became aware (ISO); starts the 72-hour clock.")
@click.option("--company", default=None, help="Company name in the report and letters.")
@click.option("--contact", default=None, help="Contact address given in the letters.")
@_contacts_option
@click.option("--template", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              default=None, help="Your own Jinja2 letter template (see docs/incident.md).")
@_render_options
@config_option
@json_option
def report(folder: Path, aware_at: str | None, company: str | None, contact: str | None,
           contacts_csv: Path | None, template: Path | None, customers_csv: Path | None,
           issued_at: str | None, delay_reason: str | None, config_path: Path | None,
           as_json: bool) -> int:
    """Render the report, letters, notices and drafts again from a scan's --out DIR.

    No rescan and no index: the scan's exposures.jsonl is read. Options left
    out keep the values the outputs in DIR were last written with; with
    --config, its [incident] letter settings replace the recorded ones.
    """
    branding = (Branding.from_settings(settings_for(config_path).incident)
                if config_path else None)
    data = rerender(ReportRequest(folder, _when(aware_at, "--aware-at"), company, contact,
                                  contacts_csv, template, customers_csv,
                                  _when(issued_at, "--issued-at"), delay_reason, branding))
    if as_json:
        click.echo(summary_json(data), nl=False)
    else:
        _print(data, folder)
    return 0


def _print(data: dict[str, Any], out: Path) -> None:
    messages = data["messages"]
    exposures = data["exposures"]
    clock = data["clock"]
    outputs = data["outputs"]
    click.echo(f"{messages['read']} messages read, {messages['malformed']} malformed, "
               f"{messages['exposing']} exposed a customer's data")
    click.echo(f"{exposures['affected_customers']} affected customers, "
               f"{exposures['recipients']} recipients, {exposures['edges']} exposures")
    click.echo(f"first exposure {clock['first_exposure']}; notification deadline "
               f"{clock['notification_deadline'] or 'unknown (pass --aware-at)'}")
    click.echo(f"{outputs['letters']} letters in {out / 'letters'} "
               f"(languages: {_counts(outputs['letter_languages'])})")
    if outputs["letters_missing_contacts"]:
        click.echo(f"WARNING: {outputs['letters_missing_contacts']} affected customers have no "
                   f"email address, so no letter: listed in {out / MISSING_FILE} "
                   "(pass --contacts-csv)", err=True)
    click.echo(f"{outputs['notices']} recipient notices in {out / 'notices'}, "
               f"who was asked: {out / 'notices.csv'}")
    crossed = outputs["jurisdiction_thresholds_crossed"]
    click.echo(f"regulator draft: {out / 'art33.md'}; authority-notice thresholds crossed: "
               f"{', '.join(crossed) or 'none'} (see {out / 'jurisdictions.csv'})")
    click.echo(f"report: {out / 'report.html'}")


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in counts.items()) or "none"


def _when(text: str | None, option: str) -> datetime | None:
    """An ISO date or date-time; naive values are read as UTC."""
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"{option}: expected an ISO date or date-time, got {text!r}") from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
