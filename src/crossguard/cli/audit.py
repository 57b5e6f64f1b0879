"""`crossguard audit verify`: prove the audit log's hash chain is untampered."""

from __future__ import annotations

import json
from pathlib import Path

import click

from crossguard.cli.options import config_option, json_option, settings_for
from crossguard.store.store import Store


@click.group(name="audit")
def audit() -> None:
    """The hash-chained audit log."""


@audit.command(name="verify")
@json_option
@config_option
@click.pass_context
def verify(ctx: click.Context, as_json: bool, config_path: Path | None) -> None:
    """Exit 0 when every entry verifies; exit 1 naming the first bad entry."""
    store = Store.from_settings(settings_for(config_path), instance="cli", need_key=False)
    try:
        report = store.audit.verify()
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps({
            "ok": report.ok, "entries": report.entries, "first_bad": report.first_bad,
            "problem": report.problem, "head_seq": report.head_seq,
        }))
    elif report.ok:
        click.echo(f"audit chain ok: {report.entries} entries, head {report.head_seq}")
    else:
        click.echo(f"audit chain broken at entry {report.first_bad}: {report.problem} "
                   f"({report.entries} entries verified before it)")
    ctx.exit(0 if report.ok else 1)
