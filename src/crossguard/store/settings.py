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
        30.0, gt=0, le=3_600,
        description="How long a writer waits for another writer's lock before failing."
    )
    pool_size: int = Field(
        8, ge=1, le=1_000, description="Database connections kept open per process."
    )
    audit_anchor_dir: Path | None = Field(
        None,
        description=(
            "Folder (0700) of the audit chain's external anchor: a signing key the database "
            "never holds and an append-only log of signed head checkpoints. Unset: a folder "
            "beside a SQLite database file; with PostgreSQL the chain is unanchored until set. "
            "Put it where a database administrator cannot write."
        ),
    )
    audit_checkpoint_seconds: float = Field(
        60.0, gt=0, le=86_400,
        description="How often a running process signs a checkpoint of the audit head.",
    )
    audit_anchor_syslog: str | None = Field(
        None,
        description="Also send each checkpoint to this syslog socket (e.g. /dev/log), "
        "which can forward it off the host.",
    )
    quarantine_days: float = Field(
        30.0, gt=0, le=36_500,
        description="Days a quarantined or relayed message's bytes are kept; then "
        "a purge (hourly in the gateway, or `crossguard quarantine purge`) empties them, "
        "audited.",
    )
