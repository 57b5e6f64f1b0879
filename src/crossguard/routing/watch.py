"""Reload the routing directory when its files change, for long-running front ends.

The gateway calls :meth:`DirectoryWatcher.current` per message; at most once per
``interval`` seconds that stats the files (no reading) and rebuilds the
:class:`Directory` only when a file's size, mtime or inode changed. A reload that
fails keeps the previous directory and records the error. Replace files
atomically (write a temporary file, then rename) so a half-written file is
never read.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from crossguard.errors import ConfigError
from crossguard.routing.directory import DEFAULT_MAX_DEPTH, Directory

Signature = tuple[tuple[int, int, int] | None, ...]


class DirectoryWatcher:
    """Holds the current Directory and rebuilds it when its source files change."""

    def __init__(
        self,
        sources: Sequence[tuple[Path, str | None]],
        company_domains: Sequence[str] = (),
        *,
        max_depth: int = DEFAULT_MAX_DEPTH,
        interval: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sources = list(sources)
        self._domains = list(company_domains)
        self._max_depth = max_depth
        self._interval = interval
        self._clock = clock
        self._lock = threading.Lock()
        self.last_error: ConfigError | None = None
        self.reloads = 0
        self._signature = self._stat()
        self._directory = self._load()
        self._checked = clock()

    @classmethod
    def for_paths(
        cls,
        paths: Sequence[Path],
        company_domains: Sequence[str] = (),
        *,
        max_depth: int = DEFAULT_MAX_DEPTH,
        interval: float = 2.0,
    ) -> DirectoryWatcher:
        """A watcher over files whose formats are detected (as ``Directory.from_files``)."""
        sources = [(Path(path), None) for path in paths]
        return cls(sources, company_domains, max_depth=max_depth, interval=interval)

    def _stat(self) -> Signature:
        signature: list[tuple[int, int, int] | None] = []
        for path, _fmt in self._sources:
            try:
                info = os.stat(path)
            except OSError:
                signature.append(None)
            else:
                signature.append((info.st_mtime_ns, info.st_size, info.st_ino))
        return tuple(signature)

    def _load(self) -> Directory:
        return Directory.from_sources(self._sources, self._domains, max_depth=self._max_depth)

    def current(self) -> Directory:
        """The directory, reloaded first if the interval passed and a file changed."""
        now = self._clock()
        if now - self._checked < self._interval:
            return self._directory
        with self._lock:
            if now - self._checked >= self._interval:
                self._checked = now
                self.check()
        return self._directory

    def check(self) -> bool:
        """Stat the files now and reload if they changed; True when a reload happened."""
        signature = self._stat()
        if signature == self._signature:
            return False
        self._signature = signature
        try:
            self._directory = self._load()
        except ConfigError as error:
            self.last_error = error
            return False
        self.last_error = None
        self.reloads += 1
        return True
