"""The outside test data in ../shared/data (see its README): required, never skipped."""

from __future__ import annotations

from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
MIME_DATA = SHARED_DATA / "mime"
OUTLOOK_DATA = MIME_DATA / "outlook_msg"


def mime_files() -> list[Path]:
    """Every file of the MIME corpora; a missing folder is an error that names it."""
    if not MIME_DATA.is_dir():
        raise FileNotFoundError(
            f"shared test data missing: {MIME_DATA} (the MIME corpora beside this checkout)"
        )
    return sorted(path for path in MIME_DATA.rglob("*") if path.is_file())
