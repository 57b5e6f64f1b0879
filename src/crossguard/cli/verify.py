"""`crossguard verify campaign create|list|show|revoke`, `verify decisions`, `verify purge`."""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import click

from crossguard.cli.options import config_option, json_option, settings_for
from crossguard.config import Settings
from crossguard.errors import ConfigError
from crossguard.store.store import Store
from crossguard.verify import campaigns, invite, invitees, items
from crossguard.verify.base import VerifyContext
from crossguard.verify.launch import launch
from crossguard.verify.purge import sweep

_FILE = click.Path(dir_okay=False, path_type=Path)


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _when(ts: float | None) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M") if ts else "-"


@contextmanager
def _opened(config: Path | None) -> Iterator[tuple[Settings, VerifyContext]]:
    settings = settings_for(config)
    store = Store.from_settings(settings, instance="cli")
    try:
        yield settings, VerifyContext.of(store, settings.secret_key(), settings.verify)
    finally:
        store.close()


@click.group()
def verify() -> None:
    """Verification campaigns: signed upload links instead of ID requests by mail."""


@verify.group()
def campaign() -> None:
    """Create, list, show and revoke campaigns."""


@campaign.command(name="create")
@click.argument("input_path", metavar="INPUT", required=False,
                type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--sql-url", default=None, help="SQLAlchemy URL of the customer database.")
@click.option("--query", default=None, help="SQL returning customer_id and email columns.")
@click.option("--name", required=True, help="What the campaign is for (shown to reviewers).")
@click.option("--days", type=click.FloatRange(min=0, min_open=True, max=365), default=None,
              help="Link lifetime in days (default verify.link_days).")
@click.option("--send", is_flag=True, help="Mail each customer their invitation upstream.")
@click.option("--export", "export_path", type=_FILE, default=None,
              help="Write customer_id,email,link,expires to this new file (mode 0600) instead.")
@config_option
@json_option
def create(input_path: Path | None, sql_url: str | None, query: str | None, name: str,
           days: float | None, send: bool, export_path: Path | None,
           config_path: Path | None, as_json: bool) -> None:
    """One signed, single-use link per customer of INPUT (CSV: customer_id,email)."""
    if send == (export_path is not None):
        raise ConfigError("choose one of --send and --export FILE")
    if (input_path is None) == (sql_url is None or query is None):
        raise ConfigError("give a CSV file, or --sql-url with --query")
    people = (invitees.from_csv(input_path) if input_path is not None
              else invitees.from_sql(str(sql_url), str(query)))
    if export_path is not None and export_path.exists():
        raise ConfigError(f"{export_path}: exists already (links are written to a new file)")
    with _opened(config_path) as (settings, ctx):
        done = launch(ctx, settings.gateway, name, people, actor=_actor(), send=send, days=days)
        if export_path is not None:
            invite.export(settings.verify, people, [link for _, link in done.links], export_path)
    result = {"campaign_id": done.campaign_id, "items": len(done.links), "sent": done.sent,
              "refused": done.refused, "exported": str(export_path) if export_path else None}
    if as_json:
        click.echo(json.dumps(result))
        return
    click.echo(f"campaign {done.campaign_id}: {len(done.links)} links, "
               + (f"{done.sent} invitations sent" if send else f"links written to {export_path}"))
    if done.refused:
        click.echo(f"the upstream MTA refused the address of {len(done.refused)} customers: "
                   + ", ".join(done.refused), err=True)


@campaign.command(name="list")
@config_option
@json_option
def list_(config_path: Path | None, as_json: bool) -> None:
    """Campaigns, newest first, with their items counted by state."""
    with _opened(config_path) as (_settings, ctx):
        sweep(ctx)
        views = campaigns.listing(ctx)
    if as_json:
        click.echo(json.dumps([view.as_dict() for view in views]))
        return
    for view in views:
        counts = ", ".join(f"{state} {count}" for state, count in sorted(view.counts.items()))
        click.echo(f"{view.id}  {_when(view.created_at)}  {view.state:8} {view.done}/"
                   f"{view.total} done  ({counts})  {view.name}")


@campaign.command(name="show")
@click.argument("campaign_id")
@config_option
@json_option
def show(campaign_id: str, config_path: Path | None, as_json: bool) -> None:
    """One campaign and each customer's state and outcome."""
    with _opened(config_path) as (_settings, ctx):
        view, rows = campaigns.show(ctx, campaign_id)
    if as_json:
        click.echo(json.dumps({"campaign": view.as_dict(),
                               "items": [row.as_dict() for row in rows]}))
        return
    click.echo(f"{view.name} ({view.state}), expires {_when(view.expires_at)}, "
               f"{view.done}/{view.total} done")
    for row in rows:
        click.echo(f"  {row.customer_id:14} {row.state:9} {row.outcome or '-':10} "
                   f"{row.decided_by or ''}")


@campaign.command(name="revoke")
@click.argument("campaign_id")
@click.option("--customer", "customer_id", default=None,
              help="Revoke only this customer's link (default: every unused link).")
@config_option
def revoke(campaign_id: str, customer_id: str | None, config_path: Path | None) -> None:
    """Revoke the links of a campaign that were not used yet."""
    with _opened(config_path) as (_settings, ctx):
        if customer_id is not None:
            campaigns.revoke_customer(ctx, campaign_id, customer_id, actor=_actor())
            count = 1
        else:
            count = campaigns.revoke(ctx, campaign_id, actor=_actor())
    click.echo(f"campaign {campaign_id}: {count} unused links revoked")


@verify.command()
@click.option("--out", "out", type=_FILE, required=True, help="New CSV file (mode 0600).")
@click.option("--since", type=float, default=0.0, help="Only decisions after this epoch time.")
@config_option
def decisions(out: Path, since: float, config_path: Path | None) -> None:
    """Export decisions (customer, verified/rejected, who, why) for the order system."""
    with _opened(config_path) as (_settings, ctx):
        text, count = items.decisions_csv(ctx, since)
    invite.write_private(out, text.encode("utf-8"))
    click.echo(f"{count} decisions written to {out}")


@verify.command()
@config_option
def purge(config_path: Path | None) -> None:
    """Expire links past their date; purge uploads older than verify.retention_days."""
    with _opened(config_path) as (_settings, ctx):
        done = sweep(ctx, actor=f"cli:{getpass.getuser()}")
    click.echo(f"{done['expired']} links expired, {done['purged']} uploads purged")
