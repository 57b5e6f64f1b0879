"""Signed checkpoints of the audit chain's head, kept outside the database.

The hash chain proves that no entry was edited *unless* the editor re-hashes
everything after it and moves the head, or truncates the chain: anyone who can
write the database can do both. A checkpoint is ``(seq, hash)`` of the head,
signed with HMAC-SHA256 under a key the database never holds, appended as one
JSON line to ``checkpoints.log`` (and optionally to syslog, which can forward
it off the host). ``audit verify`` then proves that every checkpointed entry
still exists with the same hash. Entries after the last checkpoint are only as
safe as the database: checkpoint often (``store.audit_checkpoint_seconds``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging.handlers
import os
import secrets
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from crossguard.core.private import private_dir
from crossguard.errors import ConfigError

KEY_NAME = "anchor.key"
LOG_NAME = "checkpoints.log"
_SYSLOG = logging.getLogger("crossguard.audit.anchor")


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """One signed record of the chain's head at a moment."""

    seq: int
    hash: str
    ts: str
    instance: str


class AuditAnchor:
    """The anchor folder (0700): its signing key (0600) and its append-only checkpoint log."""

    def __init__(self, folder: Path, *, syslog: str | None = None) -> None:
        self.folder = folder
        private_dir(folder)
        self._key = _load_or_create_key(folder / KEY_NAME)
        self._log = folder / LOG_NAME
        self._syslog = syslog is not None
        if syslog is not None and not _SYSLOG.handlers:
            _SYSLOG.addHandler(logging.handlers.SysLogHandler(address=syslog))
            _SYSLOG.setLevel(logging.INFO)
            _SYSLOG.propagate = False

    def _mac(self, seq: int, digest: str, ts: str, instance: str) -> str:
        message = f"{seq}:{digest}:{ts}:{instance}".encode("ascii")
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def write(self, seq: int, digest: str, instance: str) -> Checkpoint:
        """Append one signed checkpoint of the head (one ``write``, then fsync)."""
        ts = datetime.now(UTC).isoformat(timespec="seconds")
        line = json.dumps({"seq": seq, "hash": digest, "ts": ts, "instance": instance,
                           "mac": self._mac(seq, digest, ts, instance)}) + "\n"
        descriptor = os.open(self._log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, line.encode("ascii"))
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        if self._syslog:
            _SYSLOG.info("crossguard audit checkpoint %s", line.strip())
        return Checkpoint(seq, digest, ts, instance)

    def read(self) -> tuple[list[Checkpoint], list[str]]:
        """Every checkpoint whose signature verifies, and one problem line per one that does not."""
        try:
            lines = self._log.read_text(encoding="ascii").splitlines()
        except FileNotFoundError:
            return [], []
        good: list[Checkpoint] = []
        problems: list[str] = []
        for number, line in enumerate(lines, start=1):
            try:
                record = json.loads(line)
                point = Checkpoint(int(record["seq"]), str(record["hash"]), str(record["ts"]),
                                   str(record["instance"]))
                valid = hmac.compare_digest(
                    self._mac(point.seq, point.hash, point.ts, point.instance), str(record["mac"])
                )
            except (ValueError, KeyError, TypeError):
                problems.append(f"{self._log.name} line {number} is not a checkpoint")
                continue
            if valid:
                good.append(point)
            else:
                problems.append(f"{self._log.name} line {number}: signature does not verify")
        return good, problems


def _load_or_create_key(path: Path) -> bytes:
    """The anchor's signing key, created on first use; refused when others can read it."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise ConfigError(
                f"{path}: audit anchor key is readable by others (mode {mode:04o}); chmod 600 it"
            ) from None
        try:
            return bytes.fromhex(path.read_text(encoding="ascii").strip())
        except ValueError:
            raise ConfigError(f"{path}: audit anchor key must be hex") from None
    key = secrets.token_bytes(32)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key.hex() + "\n")
    return key
