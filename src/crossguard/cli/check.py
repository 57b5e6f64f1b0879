"""`crossguard check` and `crossguard explain`: one message through the guard.

Exit codes: 0 the message is allowed, 3 it is delivered with a warning (``warn``),
1 it is held (quarantine, reject, redact), 2 an error (one line on stderr).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import BinaryIO

import click
from rich.console import Console
from rich.table import Table

from crossguard.cli.options import F, config_option, index_option, json_option, settings_for
from crossguard.errors import MessageParseError
from crossguard.message.sniff import looks_like_message
from crossguard.policy.verdict import Verdict
from crossguard.scan import Evaluation, Guard

#: Exit code of ``check`` and ``explain`` for each action (docs in the README).
EXIT_CODES = {"allow": 0, "warn": 3}
EXIT_HELD = 1


def exit_code(verdict: Verdict) -> int:
    """0 allowed, 3 delivered with a warning, 1 held or changed (quarantine, reject, redact)."""
    return EXIT_CODES.get(verdict.action, EXIT_HELD)


def _console() -> Console:
    """Standard output; wide enough for part paths when it is a file or a pipe."""
    return Console(file=sys.stdout, width=None if sys.stdout.isatty() else 160)


def read_message(file: BinaryIO, limit: int) -> bytes:
    """At most ``limit`` bytes of ``file``; a clear error (exit 2) when there are more."""
    raw = file.read(limit + 1)
    if len(raw) > limit:
        name = getattr(file, "name", "-")
        raise MessageParseError(
            f"{name}: larger than parse.max_message_bytes ({limit} bytes); not checked")
    return raw


def _evaluate(file: BinaryIO, index_path: Path | None, config_path: Path | None,
              mail_from: str | None, rcpts: tuple[str, ...]) -> Evaluation:
    settings = settings_for(config_path)
    raw = read_message(file, settings.parse.max_message_bytes)
    guard = Guard.from_settings(settings, index_path=index_path)
    if not looks_like_message(raw):
        raise MessageParseError(
            f"{file.name}: not a mail message (it does not start with header fields)"
        )
    if guard.index is None:
        click.echo("crossguard: note: no customer index (give --index or set index.path): "
                   "cross_customer cannot tell whose data a message carries", err=True)
    return guard.evaluate(raw, mail_from=mail_from, rcpts=list(rcpts))


def envelope_options(function: F) -> F:
    function = click.option("--rcpt", "rcpts", multiple=True,
                            help="Envelope recipient (repeat; Bcc lives only here).")(function)
    function = click.option("--mail-from", default=None, help="Envelope sender.")(function)
    function = index_option(function)
    return config_option(function)


def _print_verdict(evaluation: Evaluation, console: Console) -> None:
    verdict = evaluation.verdict
    style = "green" if verdict.action == "allow" else "bold red" if verdict.held else "yellow"
    console.print(f"action: [{style}]{verdict.action}[/]   message-id: {verdict.message_id}")
    if verdict.findings:
        table = Table("kind", "part", "span", "masked", "confidence", title="findings")
        for finding in verdict.findings:
            table.add_row(finding.kind, finding.part, f"{finding.start}-{finding.end}",
                          finding.masked, f"{finding.confidence:.2f}")
        console.print(table)
    else:
        console.print("no findings")
    for attribution in verdict.attributions:
        console.print(f"customer {attribution.customer_id}: score {attribution.score:.2f}, "
                      f"{', '.join(attribution.kinds)}")
    for rule in verdict.rules:
        monitor = " (monitor)" if rule.monitor else ""
        console.print(f"[bold]{rule.rule}[/] -> {rule.action}{monitor}: {rule.reason}")
    for note in verdict.notes:
        console.print(f"note {note.kind} at {note.part or 'message'}: {note.reason}")


@click.command()
@click.argument("file", type=click.File("rb"), metavar="FILE|-")
@envelope_options
@json_option
def check(file: BinaryIO, index_path: Path | None, config_path: Path | None,
          mail_from: str | None, rcpts: tuple[str, ...], as_json: bool) -> int:
    """Check one message (FILE, or - for stdin): exit 0 allowed, 3 warn, 1 held, 2 error."""
    evaluation = _evaluate(file, index_path, config_path, mail_from, rcpts)
    if as_json:
        click.echo(evaluation.verdict.to_json(indent=2))
    else:
        _print_verdict(evaluation, _console())
    return exit_code(evaluation.verdict)


@click.command()
@click.argument("file", type=click.File("rb"), metavar="FILE|-")
@envelope_options
@json_option
def explain(file: BinaryIO, index_path: Path | None, config_path: Path | None,
            mail_from: str | None, rcpts: tuple[str, ...], as_json: bool) -> int:
    """Every rule for one message: whether it fired, and why."""
    evaluation = _evaluate(file, index_path, config_path, mail_from, rcpts)
    rows = [
        {
            "rule": outcome.rule,
            "enabled": outcome.enabled,
            "fired": bool(outcome.check and outcome.check.fired),
            "action": outcome.settings.action,
            "monitor": outcome.settings.monitor,
            "reason": outcome.check.reason if outcome.check else "disabled",
        }
        for outcome in evaluation.rules
    ]
    if as_json:
        click.echo(json.dumps({"action": evaluation.verdict.action, "rules": rows}, indent=2))
    else:
        console = _console()
        title = f"action: {evaluation.verdict.action}"
        table = Table("rule", "fired", "action", "why", title=title)
        for row in rows:
            table.add_row(str(row["rule"]), "yes" if row["fired"] else "no", str(row["action"]),
                          str(row["reason"]))
        console.print(table)
    return exit_code(evaluation.verdict)
