"""`crossguard audit verify|checkpoint`: prove the audit log untampered, and anchor it."""

from __future__ import annotations

import json
from pathlib import Path

import click

from crossguard.cli.options import config_option, json_option, settings_for
from crossguard.store.store import Store

UNANCHORED = ("no audit anchor (set store.audit_anchor_dir): a rewrite or truncation by "
              "someone who can write the database would go unnoticed")


@click.group(name="audit")
def audit() -> None:
    """The hash-chained audit log."""


@audit.command(name="verify")
@json_option
@config_option
@click.pass_context
def verify(ctx: click.Context, as_json: bool, config_path: Path | None) -> None:
    """Exit 0 when every entry and every signed checkpoint verifies; else 1 naming the first."""
    store = Store.from_settings(settings_for(config_path), instance="cli", need_key=False)
    try:
        anchor = store.checkpoints.anchor if store.checkpoints is not None else None
        points, anchor_problems = anchor.read() if anchor is not None else ([], [])
        report = store.audit.verify(points)
    finally:
        store.close()
    ok = report.ok and not anchor_problems
    if as_json:
        click.echo(json.dumps({
            "ok": ok, "entries": report.entries, "first_bad": report.first_bad,
            "problem": report.problem, "head_seq": report.head_seq,
            "anchored": anchor is not None, "checkpoints": report.checkpoints,
            "anchor_problems": anchor_problems,
        }))
        ctx.exit(0 if ok else 1)
    if report.ok:
        click.echo(f"audit chain ok: {report.entries} entries, head {report.head_seq}")
    else:
        click.echo(f"audit chain broken at entry {report.first_bad}: {report.problem} "
                   f"({report.entries} entries verified before it)")
    for problem in anchor_problems:
        click.echo(f"audit anchor: {problem}")
    if anchor is None:
        click.echo(UNANCHORED, err=True)
    else:
        click.echo(f"held against {report.checkpoints} signed checkpoint(s) in {anchor.folder}")
    ctx.exit(0 if ok else 1)


@audit.command(name="checkpoint")
@config_option
def checkpoint(config_path: Path | None) -> None:
    """Sign the audit head into the anchor now (for cron, before a backup, after a release)."""
    store = Store.from_settings(settings_for(config_path), instance="cli", need_key=False)
    try:
        if store.checkpoints is None:
            raise click.UsageError(UNANCHORED)
        point = store.checkpoints.checkpoint()
    finally:
        store.close()
    click.echo(f"signed checkpoint of entry {point.seq}" if point else "head already signed")
