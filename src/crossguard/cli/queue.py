"""`crossguard queue`: the gateway's relay queue: list, show, retry now."""

from __future__ import annotations

import getpass
import json
from datetime import UTC, datetime
from pathlib import Path

import click

from crossguard.cli.options import config_option, json_option, settings_for
from crossguard.store.queue import QueuedMessage, RelayQueue
from crossguard.store.store import Store

STATES = ("queued", "relaying", "delivered", "failed", "held", "rejected", "pending", "all")


def open_queue(config_path: Path | None) -> tuple[Store, RelayQueue]:
    store = Store.from_settings(settings_for(config_path), instance="cli", need_key=False)
    return store, RelayQueue(store.sessions, store.reads)


def _when(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%S")


def render(item: QueuedMessage) -> str:
    lines = [
        f"id:           {item.id}",
        f"state:        {item.state}" + (f" (claimed by {item.owner})" if item.owner else ""),
        f"received:     {_when(item.received_at)} UTC by {item.instance}",
        f"attempts:     {item.attempts}",
        f"next attempt: {_when(item.next_attempt_at)} UTC",
        f"from:         {item.mail_from}",
        f"to:           {', '.join(item.rcpts) or '-'}",
    ]
    if item.failed_rcpts:
        lines.append(f"failed:       {', '.join(item.failed_rcpts)}")
    if item.last_error:
        lines.append(f"last error:   {item.last_error}")
    return "\n".join(lines)


@click.group(name="queue")
def queue() -> None:
    """List, show or retry messages waiting to be relayed."""


@queue.command(name="list")
@click.option("--state", type=click.Choice(STATES), default="pending", show_default=True,
              help="pending: queued and relaying.")
@click.option("--limit", type=int, default=100, show_default=True)
@config_option
@json_option
def list_(state: str, limit: int, config_path: Path | None, as_json: bool) -> None:
    """Messages in the relay queue, oldest first (addresses masked)."""
    store, relay_queue = open_queue(config_path)
    try:
        states = None if state == "all" else (
            ("queued", "relaying") if state == "pending" else (state,))
        items = relay_queue.list(states, limit)
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps([item.as_dict() for item in items], indent=2))
        return
    for item in items:
        click.echo(f"{item.id}  {item.state:<9} {_when(item.received_at)}  "
                   f"tries={item.attempts:<3} to={len(item.rcpts)}  {item.last_error or ''}")
    click.echo(f"{len(items)} message(s)", err=True)


@queue.command(name="show")
@click.argument("spool_id")
@config_option
@json_option
def show(spool_id: str, config_path: Path | None, as_json: bool) -> None:
    """One queued message (masked)."""
    store, relay_queue = open_queue(config_path)
    try:
        item = relay_queue.show(spool_id)
    finally:
        store.close()
    click.echo(json.dumps(item.as_dict(), indent=2) if as_json else render(item))


@queue.command(name="retry")
@click.argument("spool_id")
@click.option("--actor", default=None, help="Who retries (default: the login name).")
@config_option
@json_option
def retry(spool_id: str, actor: str | None, config_path: Path | None, as_json: bool) -> None:
    """Send a queued message at the relay worker's next look instead of after its backoff."""
    store, relay_queue = open_queue(config_path)
    try:
        item = relay_queue.retry(spool_id, actor=f"cli:{actor or getpass.getuser()}")
    finally:
        store.close()
    click.echo(json.dumps(item.as_dict(), indent=2) if as_json else f"{spool_id}: due now")
