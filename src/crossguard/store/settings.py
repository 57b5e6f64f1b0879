"""Settings for quarantine, audit and spool storage."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from crossguard.settings_base import Section


class StoreSettings(Section):
    """Where crossguard keeps what it holds and what it decided."""

    url: str = Field(
        "sqlite:///crossguard.db",
        description="SQLAlchemy URL of the store: SQLite (default) or postgresql+psycopg://...",
    )
    spool_dir: Path = Field(Path("spool"), description="Folder of the durable SMTP spool.")
    sqlite_synchronous: Literal["NORMAL", "FULL"] = Field(
        "FULL",
        description="SQLite WAL sync level: FULL survives power loss, NORMAL only process crashes.",
    )
    busy_timeout_seconds: float = Field(
        30.0, description="How long a writer waits for another writer's lock before failing."
    )
    pool_size: int = Field(8, description="Database connections kept open per process.")
