"""Store fixtures: every store test runs on a SQLite file and on the local PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from crossguard.store.settings import StoreSettings
from crossguard.store.store import Store

PG_DSN = "postgresql://postgres@127.0.0.1:5432/test"
KEY = bytes(range(32))


def pg_schema_url(schema: str) -> str:
    """A SQLAlchemy URL whose connections use ``schema`` first."""
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL: a SQLite file, or a unique PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield pg_schema_url(schema)
    finally:
        with psycopg.connect(PG_DSN, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def make_store(store_url: str, tmp_path: Path) -> Iterator[Callable[..., Store]]:
    """Factory of Store objects on the same database (one per simulated instance)."""
    opened: list[Store] = []

    def make(instance: str = "gw1", key: bytes | None = KEY) -> Store:
        settings = StoreSettings(url=store_url, spool_dir=tmp_path / f"spool-{instance}")
        store = Store(settings, secret_key=key, instance=instance)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()
