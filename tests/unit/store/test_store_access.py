"""API tokens and dashboard users on a real SQLite store: hashed, role-nested, audited."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from crossguard.errors import ConfigError, StoreError
from crossguard.store.access import Access, ApiToken, DashboardUser, Principal, role_rank
from crossguard.store.models import AuditEntry
from crossguard.store.settings import StoreSettings
from crossguard.store.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(StoreSettings(url=f"sqlite:///{tmp_path / 'store.db'}",
                                 spool_dir=tmp_path / "spool"), secret_key=None, instance="t")
    yield opened
    opened.close()


def test_a_token_is_stored_only_as_its_hash(store: Store) -> None:
    access = Access(store.sessions)
    token_id, token = access.create_token("reviewer", "ci")
    with store.sessions() as session:
        row = session.scalars(select(ApiToken)).one()
    assert token.startswith(f"cgt_{token_id}_") and len(token) > 40
    assert row.token_hash != token and token not in row.token_hash and row.role == "reviewer"
    assert access.authenticate_token(token) == Principal(f"api:{token_id}", "reviewer")
    assert access.authenticate_token(token + "x") is None
    assert access.authenticate_token("") is None


def test_tokens_are_unique(store: Store) -> None:
    access = Access(store.sessions)
    assert len({access.create_token("checker")[1] for _ in range(20)}) == 20


@pytest.mark.parametrize(("role", "needed", "allowed"), [
    ("admin", "reviewer", True), ("admin", "checker", True), ("reviewer", "checker", True),
    ("reviewer", "admin", False), ("checker", "reviewer", False), ("bogus", "checker", False),
])
def test_roles_nest(role: str, needed: str, allowed: bool) -> None:
    assert Principal("x", role).has(needed) is allowed


def test_unknown_roles_are_refused(store: Store) -> None:
    with pytest.raises(ConfigError, match="unknown role"):
        Access(store.sessions).create_token("root")
    assert role_rank("root") == -1


def test_users_have_argon2_hashes_and_log_in(store: Store) -> None:
    access = Access(store.sessions)
    access.add_user("rita", "a long passphrase", "reviewer")
    with store.sessions() as session:
        user = session.get_one(DashboardUser, "rita")
    assert user.password_hash.startswith("$argon2id$") and "passphrase" not in user.password_hash
    assert access.login("rita", "a long passphrase") == Principal("web:rita", "reviewer")
    assert access.login("rita", "wrong passphrase") is None
    assert access.login("nobody", "a long passphrase") is None
    assert access.user_role("rita") == "reviewer" and access.user_role("nobody") is None


def test_user_rules(store: Store) -> None:
    access = Access(store.sessions)
    access.add_user("rita", "a long passphrase", "admin")
    with pytest.raises(StoreError, match="exists already"):
        access.add_user("rita", "another passphrase", "admin")
    with pytest.raises(ConfigError, match="at least 8"):
        access.add_user("sam", "short", "reviewer")
    with pytest.raises(ConfigError, match="1 to 100"):
        access.add_user(" ", "a long passphrase", "reviewer")


def test_creation_is_audited_without_secrets(store: Store) -> None:
    access = Access(store.sessions)
    _, token = access.create_token("admin", actor="cli:ops")
    access.add_user("rita", "a long passphrase", "reviewer", actor="cli:ops")
    with store.sessions() as session:
        rows = session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
    assert [(row.actor, row.event) for row in rows] == [
        ("cli:ops", "access.token_create"), ("cli:ops", "access.user_add")]
    payloads = " ".join(row.payload for row in rows)
    assert token not in payloads and "passphrase" not in payloads
    assert json.loads(rows[1].payload) == {"role": "reviewer", "user": "rita"}
    assert store.audit.verify().ok
