"""Open a store database: engine, SQLite pragmas, and migrations applied on open."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Delete, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from crossguard.errors import StoreError
from crossguard.store.settings import StoreSettings

MIGRATIONS = Path(__file__).parent / "migrations"
#: Key of the PostgreSQL advisory lock that serializes migrations between instances.
MIGRATION_LOCK = 0x63677364
#: Execution option marking read-only work: on SQLite it begins a deferred transaction.
READ_ONLY = "crossguard_read_only"


def is_postgres(engine: Engine) -> bool:
    """True when the engine talks to PostgreSQL."""
    return engine.dialect.name == "postgresql"


def create_store_engine(settings: StoreSettings, *, writer: bool = True) -> Engine:
    """An engine for ``settings.url``; SQLite gets WAL and writer-serializing transactions.

    On SQLite the writer engine holds one connection: this process's writers
    queue for it in Python instead of polling SQLite's lock (whose busy handler
    sleeps up to 100 ms a try); readers get their own engine (``writer=False``).
    """
    try:
        url = make_url(settings.url)
    except SQLAlchemyError:
        raise StoreError("store.url is not a valid SQLAlchemy URL") from None
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_size=settings.pool_size, pool_pre_ping=True)
    if url.database and url.database != ":memory:":
        _private_file(Path(url.database))
    engine = create_engine(
        url,
        pool_size=1 if writer else settings.pool_size,
        max_overflow=0 if writer else 10,
        pool_timeout=settings.busy_timeout_seconds,
        connect_args={"check_same_thread": False, "timeout": settings.busy_timeout_seconds},
    )
    busy_ms = int(settings.busy_timeout_seconds * 1000)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={settings.sqlite_synchronous}")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writers take the write lock up front: no deadlocking lock upgrades, and
        # audit appends are serialized (the chain cannot fork). Readers do not
        # block anyone (WAL snapshot).
        if connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _private_file(path: Path) -> None:
    """Create a new SQLite file 0600 in a 0700 folder; its -wal and -shm inherit the mode."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def migrate(engine: Engine) -> None:
    """Bring the schema to the head revision (idempotent; safe with several instances)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as connection:
            if is_postgres(engine):
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except SQLAlchemyError as error:
        raise StoreError(f"cannot migrate the store ({type(error).__name__})") from None


def rows_deleted(session: Session, statement: Delete) -> int:
    """Run a DELETE in ``session``'s transaction; how many rows it removed."""
    return int(getattr(session.execute(statement), "rowcount", 0) or 0)
