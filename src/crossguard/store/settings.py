"""Settings for quarantine, audit and spool storage."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from crossguard.settings_base import Section


class StoreSettings(Section):
    """Where crossguard keeps what it holds and what it decided."""

    url: str = Field(
        "sqlite:///crossguard.db",
        description="SQLAlchemy URL of the store: SQLite (default) or postgresql+psycopg://...",
    )
    spool_dir: Path = Field(Path("spool"), description="Folder of the durable SMTP spool.")
