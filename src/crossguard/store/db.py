"""Open a store database: engine, SQLite pragmas, and migrations applied on open."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Delete, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from crossguard.core.private import create_private, private_parents, tighten
from crossguard.errors import StoreError
from crossguard.store.settings import StoreSettings

MIGRATIONS = Path(__file__).parent / "migrations"
#: Key of the PostgreSQL advisory lock that serializes migrations between instances.
MIGRATION_LOCK = 0x63677364
#: Execution option marking read-only work: on SQLite it begins a deferred transaction.
READ_ONLY = "crossguard_read_only"
#: The files SQLite keeps beside a database in WAL mode.
SQLITE_SIDE_FILES = ("-wal", "-shm")


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
        database = Path(url.database)
        try:
            private_parents(database)
            database.parent.mkdir(mode=0o700, exist_ok=True)
        except OSError as error:
            raise StoreError(f"store.url: cannot create the folder {database.parent} "
                             f"({error.strerror})") from None
        with contextlib.suppress(OSError):  # unwritable: SQLite's own error below names it
            private_sqlite_files(database)
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


def private_sqlite_files(database: Path) -> None:
    """Create the database file 0600 before SQLite opens it; tighten its -wal and -shm.

    SQLite gives the ``-wal`` and ``-shm`` files it creates the mode of the
    database file, so all three stay 0600 whatever the umask.
    """
    create_private(database)
    for suffix in SQLITE_SIDE_FILES:
        tighten(database.with_name(database.name + suffix))


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
        # The driver's own message (e.g. "attempt to write a readonly database"), never
        # SQLAlchemy's rendering, which can carry statement parameters.
        cause = str(getattr(error, "orig", "") or "").splitlines()[:1]
        detail = f": {cause[0][:200]}" if cause else ""
        raise StoreError(
            f"store.url: cannot open or migrate the store ({type(error).__name__}{detail})"
        ) from None


def rows_deleted(session: Session, statement: Delete) -> int:
    """Run a DELETE in ``session``'s transaction; how many rows it removed."""
    return int(getattr(session.execute(statement), "rowcount", 0) or 0)
