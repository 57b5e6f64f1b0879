"""`crossguard quarantine`: review held messages; release or discard them with a reason."""

from __future__ import annotations

import getpass
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from crossguard.cli.options import config_option, json_option, settings_for
from crossguard.store.quarantine import HeldMessage
from crossguard.store.store import Store

STATES = ("held", "released", "discarded", "all")


def open_store(config_path: Path | None, *, need_key: bool) -> Store:
    """The store named by the settings file."""
    return Store.from_settings(settings_for(config_path), instance="cli", need_key=need_key)


def _when(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%S")


def render(entry: HeldMessage) -> str:
    """A held message's masked verdict and evidence as text."""
    verdict: dict[str, Any] = entry.verdict
    lines = [
        f"id:         {entry.id}",
        f"state:      {entry.state}" + (f" by {entry.decided_by}: {entry.reason}"
                                        if entry.decided_by else ""),
        f"created:    {_when(entry.created_at)} UTC",
        f"action:     {entry.action}",
        f"message-id: {entry.message_id or '-'}",
        f"from:       {entry.mail_from}",
        f"to:         {', '.join(entry.rcpts)}",
        "rules:",
    ]
    lines += [f"  {r['rule']} [{r['severity']}] -> {r['action']}: {r['reason']}"
              for r in verdict.get("rules", [])]
    for attribution in verdict.get("attributions", []):
        lines.append(f"customer {attribution['customer_id']} (score {attribution['score']}):")
        lines += [f"  {e['kind']:<16} {e['masked']:<28} in {e['part']}"
                  for e in attribution.get("evidence", [])]
    findings = verdict.get("findings", [])
    if findings:
        lines.append(f"findings: {len(findings)}")
    return "\n".join(lines)


@click.group(name="quarantine")
def quarantine() -> None:
    """List, show, release or discard held messages."""


@quarantine.command(name="list")
@click.option("--state", type=click.Choice(STATES), default="held", show_default=True)
@click.option("--limit", type=int, default=100, show_default=True)
@json_option
@config_option
def list_(state: str, limit: int, as_json: bool, config_path: Path | None) -> None:
    """Held messages, newest first (addresses masked)."""
    store = open_store(config_path, need_key=False)
    try:
        entries = store.quarantine.list(None if state == "all" else state, limit)
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps([entry.as_dict() for entry in entries], indent=2))
        return
    for entry in entries:
        click.echo(f"{entry.id}  {_when(entry.created_at)}  {entry.state:<9}  "
                   f"{entry.mail_from} -> {len(entry.rcpts)} rcpt  {','.join(entry.rules)}")
    click.echo(f"{len(entries)} {'entries' if state == 'all' else state}", err=True)


@quarantine.command(name="show")
@click.argument("entry_id", metavar="ID")
@json_option
@config_option
def show(entry_id: str, as_json: bool, config_path: Path | None) -> None:
    """One held message's masked verdict and evidence."""
    store = open_store(config_path, need_key=False)
    try:
        entry = store.quarantine.show(entry_id)
    finally:
        store.close()
    click.echo(json.dumps(entry.as_dict(), indent=2) if as_json else render(entry))


def _actor(actor: str | None) -> str:
    return actor or f"cli:{getpass.getuser()}"


@quarantine.command(name="release")
@click.argument("entry_id", metavar="ID")
@click.option("--reason", required=True, help="Why the message may go out (audited).")
@click.option("--actor", help="Who decides (default cli:<login name>).")
@json_option
@config_option
def release(entry_id: str, reason: str, actor: str | None, as_json: bool,
            config_path: Path | None) -> None:
    """Queue the original message for relay upstream by the gateway (audited)."""
    store = open_store(config_path, need_key=True)
    try:
        spool_id = store.quarantine.release(entry_id, actor=_actor(actor), reason=reason)
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps({"id": entry_id, "state": "released", "spool_id": spool_id}))
    else:
        click.echo(f"released {entry_id}: queued as {spool_id}")


@quarantine.command(name="discard")
@click.argument("entry_id", metavar="ID")
@click.option("--reason", required=True, help="Why the message is dropped (audited).")
@click.option("--actor", help="Who decides (default cli:<login name>).")
@json_option
@config_option
def discard(entry_id: str, reason: str, actor: str | None, as_json: bool,
            config_path: Path | None) -> None:
    """Drop a held message for good (audited)."""
    store = open_store(config_path, need_key=False)
    try:
        store.quarantine.discard(entry_id, actor=_actor(actor), reason=reason)
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps({"id": entry_id, "state": "discarded"}))
    else:
        click.echo(f"discarded {entry_id}")


@quarantine.command(name="purge")
@click.option("--days", type=float, default=None,
              help="Keep bytes this many days (default: store.quarantine_days).")
@config_option
@json_option
def purge(days: float | None, config_path: Path | None, as_json: bool) -> None:
    """Empty the bodies of entries older than the retention period (audited)."""
    from crossguard.store.retention import purge as purge_bodies

    settings = settings_for(config_path)
    store = Store.from_settings(settings, instance="cli", need_key=False)
    keep = days if days is not None else settings.store.quarantine_days
    try:
        purged = purge_bodies(store.sessions, keep, actor=f"cli:{getpass.getuser()}")
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps({"expired": purged.expired, "bodies": purged.bodies,
                               "spool_bodies": purged.spool_bodies}))
    else:
        click.echo(f"expired {len(purged.expired)} held entr(y/ies); emptied {purged.bodies} "
                   f"quarantine and {purged.spool_bodies} spool bodies older than {keep:g} days")
