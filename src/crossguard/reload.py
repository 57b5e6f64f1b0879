"""Live reload: a Guard rebuilt beside the old one when its files change, or on SIGHUP.

A long-running front end checks with :class:`LiveGuard`. Every
``routing.reload_seconds`` a thread stats the routing directory files, the
authorized-contacts file and the index folder (no reading). When one changed,
or on :meth:`LiveGuard.reload` (SIGHUP), a new :class:`Guard` is built beside
the current one and swapped in with one assignment: a check that already
started finishes on the Guard it started with. A new file that does not load
(or a directory file with an error-level problem) keeps the old Guard and
logs why (the error names the file, never its content); a file changing again
is tried again. Replace files atomically (write, then rename); ``crossguard
index build`` already does.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from crossguard.config import Settings
from crossguard.errors import ConfigError, CrossguardError
from crossguard.policy.context import RecipientCounter
from crossguard.policy.verdict import Verdict
from crossguard.scan import Guard

log = logging.getLogger("crossguard.reload")

Signature = tuple[object, ...]


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size, info.st_ino


def signature(paths: Sequence[Path]) -> Signature:
    """Size, mtime and inode of each path; a folder's of each file in it."""
    parts: list[object] = []
    for path in paths:
        if path.is_dir():
            parts.append((_stat(path), tuple(sorted(
                (entry.name, _stat(Path(entry.path))) for entry in os.scandir(path)))))
        else:
            parts.append(_stat(path))
    return tuple(parts)


def refuse_broken_directory(guard: Guard) -> None:
    """ConfigError naming the first file:line of the directory that did not read."""
    directory = guard.directory
    errors = [problem for problem in directory.problems if problem.level == "error"] \
        if directory is not None else []
    if errors:
        raise ConfigError(f"{errors[0].source}: {errors[0].message}")


def watched_paths(settings: Settings) -> list[Path]:
    """The files a Guard is built from: directory files, authorized contacts, the index."""
    paths = list(settings.policy.directory)
    if settings.policy.authorized_contacts is not None:
        paths.append(settings.policy.authorized_contacts)
    if settings.index.path is not None:
        paths.append(settings.index.path)
    return paths


class LiveGuard:
    """A Checker (and Redactor) whose Guard is replaced when its inputs change."""

    def __init__(self, settings: Settings, *, counter: RecipientCounter | None = None,
                 build: Callable[[], Guard] | None = None) -> None:
        self.settings = settings
        self._build = build or (lambda: Guard.from_settings(settings, counter=counter))
        self._paths = watched_paths(settings)
        self._lock = threading.Lock()
        self._seen = signature(self._paths)
        self.guard = self._build()
        self.reloads = 0
        self.last_error: str | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def check(self, raw: bytes, *, mail_from: str | None = None, rcpts: Sequence[str] = ()
              ) -> Verdict:
        """Check with the current Guard (a reload during the check does not affect it)."""
        return self.guard.check(raw, mail_from=mail_from, rcpts=rcpts)

    def redact(self, raw: bytes, verdict: Verdict) -> bytes:
        """Redact with the current Guard."""
        return self.guard.redact(raw, verdict)

    def reload(self, why: str = "SIGHUP") -> bool:
        """Build a new Guard now and swap it in; False (old one kept) when it does not load."""
        with self._lock:
            self._seen = signature(self._paths)
            try:
                fresh = self._build()
                refuse_broken_directory(fresh)
            except (CrossguardError, OSError, ValueError) as error:
                self.last_error = f"{type(error).__name__}: {error}"
                log.error("reload (%s) failed, keeping the current index and directory: %s",
                          why, self.last_error)
                return False
            self.guard = fresh
            self.reloads += 1
            self.last_error = None
        log.info("reloaded index and directory (%s)", why)
        return True

    def poll(self) -> bool:
        """Reload when a watched file changed since the last look; True when it reloaded."""
        if signature(self._paths) == self._seen:
            return False
        return self.reload("files changed")

    def start_watching(self) -> None:
        """Poll every ``routing.reload_seconds`` in a daemon thread (0: never)."""
        interval = self.settings.routing.reload_seconds
        if interval <= 0 or self._thread is not None:
            return

        def run() -> None:
            while not self._stop.wait(interval):
                try:
                    self.poll()
                except Exception as error:  # never let the watcher die silently
                    log.error("reload watcher: %s", type(error).__name__)

        self._thread = threading.Thread(target=run, name="cg-reload", daemon=True)
        self._thread.start()

    def stop_watching(self) -> None:
        """Stop the polling thread."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None
