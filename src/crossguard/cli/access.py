"""`crossguard token create|list|revoke`, `crossguard user add|list|delete|passwd`: who may use
the API and the dashboard. Every change is audited; none prints a secret but a new token once.
"""

from __future__ import annotations

import getpass
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from crossguard.cli.options import config_option, json_option, settings_for
from crossguard.errors import ConfigError
from crossguard.store.access import ROLES, Access
from crossguard.store.store import Store


def _open(config_path: Path | None) -> Store:
    return Store.from_settings(settings_for(config_path), instance="cli", need_key=False)


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


@click.group(name="token")
def token() -> None:
    """API bearer tokens."""


@token.command(name="create")
@click.option("--role", type=click.Choice(ROLES), required=True,
              help="checker: POST /v1/check; reviewer: + quarantine and audit; admin: + all.")
@click.option("--label", default="", help="What the token is for (shown in no response).")
@json_option
@config_option
def create(role: str, label: str, as_json: bool, config_path: Path | None) -> None:
    """Create a token and print it once; only its SHA-256 is stored."""
    store = _open(config_path)
    try:
        token_id, secret = Access(store.sessions).create_token(role, label, actor=_actor())
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps({"id": token_id, "role": role, "token": secret}))
    else:
        click.echo(secret)
        click.echo(f"token {token_id} ({role}) created; it is shown only this once", err=True)


@token.command(name="list")
@json_option
@config_option
def list_tokens(as_json: bool, config_path: Path | None) -> None:
    """Every token's id, role, label and creation time (never the token)."""
    store = _open(config_path)
    try:
        rows = Access(store.sessions).tokens()
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps([{"id": i, "role": r, "label": label, "created_at": _iso(t)}
                               for i, r, label, t in rows]))
        return
    for token_id, role, label, created in rows:
        click.echo(f"{token_id}  {role:<8}  {_iso(created)}  {label}")


@token.command(name="revoke")
@click.argument("token_id")
@config_option
def revoke(token_id: str, config_path: Path | None) -> None:
    """Revoke a token at once: the next request that presents it gets 401."""
    store = _open(config_path)
    try:
        Access(store.sessions).revoke_token(token_id, actor=_actor())
    finally:
        store.close()
    click.echo(f"token {token_id} revoked", err=True)


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not password:
        raise ConfigError("an empty password is not allowed")
    return password


@click.group(name="user")
def user() -> None:
    """Dashboard users."""


@user.command(name="add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="reviewer", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@config_option
def add(name: str, role: str, password_stdin: bool, config_path: Path | None) -> None:
    """Add a dashboard user; the password is prompted for (or read from stdin), stored argon2."""
    password = _password(password_stdin)
    store = _open(config_path)
    try:
        Access(store.sessions).add_user(name, password, role, actor=_actor())
    finally:
        store.close()
    click.echo(f"user {name} ({role}) added", err=True)


@user.command(name="list")
@json_option
@config_option
def list_users(as_json: bool, config_path: Path | None) -> None:
    """Every dashboard user's name, role and creation time."""
    store = _open(config_path)
    try:
        rows = Access(store.sessions).users()
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps([{"name": n, "role": r, "created_at": _iso(t)} for n, r, t in rows]))
        return
    for name, role, created in rows:
        click.echo(f"{name}  {role:<8}  {_iso(created)}")


@user.command(name="delete")
@click.argument("name")
@config_option
def delete(name: str, config_path: Path | None) -> None:
    """Delete a user; their open dashboard sessions end at once."""
    store = _open(config_path)
    try:
        Access(store.sessions).delete_user(name, actor=_actor())
    finally:
        store.close()
    click.echo(f"user {name} deleted", err=True)


@user.command(name="passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@config_option
def passwd(name: str, password_stdin: bool, config_path: Path | None) -> None:
    """Set a user's password; their open dashboard sessions end at once."""
    password = _password(password_stdin)
    store = _open(config_path)
    try:
        Access(store.sessions).set_password(name, password, actor=_actor())
    finally:
        store.close()
    click.echo(f"password of {name} changed", err=True)
