"""`crossguard token create` and `crossguard user add`: who may use the API and the dashboard."""

from __future__ import annotations

import getpass
import json
import sys
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
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not password:
        raise ConfigError("an empty password is not allowed")
    store = _open(config_path)
    try:
        Access(store.sessions).add_user(name, password, role, actor=_actor())
    finally:
        store.close()
    click.echo(f"user {name} ({role}) added", err=True)
