"""`crossguard audit verify`: prove the audit log's hash chain is untampered."""

from __future__ import annotations

import json
from pathlib import Path

import click

from crossguard.config import load_settings
from crossguard.store.store import Store

_FILE = click.Path(dir_okay=False, path_type=Path)


@click.group(name="audit")
def audit() -> None:
    """The hash-chained audit log."""


@audit.command(name="verify")
@click.option("--json", "as_json", is_flag=True, help="The result as JSON.")
@click.option("--config", type=_FILE, help="crossguard.toml (default $CROSSGUARD_CONFIG).")
@click.pass_context
def verify(ctx: click.Context, as_json: bool, config: Path | None) -> None:
    """Exit 0 when every entry verifies; exit 1 naming the first bad entry."""
    store = Store.from_settings(load_settings(config), instance="cli", need_key=False)
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
