"""DirectoryWatcher: cheap checks, reload on change, keep the old directory on failure."""

from __future__ import annotations

import os
from pathlib import Path

from crossguard.config import load_settings
from crossguard.routing.watch import DirectoryWatcher


class Clock:
    """A settable monotonic clock."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _write(path: Path, target: str) -> None:
    """Replace the file atomically, as the watcher expects."""
    temporary = path.with_suffix(".tmp")
    temporary.write_text(f"aliases:\n  a@co.example: [{target}]\n", encoding="utf-8")
    os.replace(temporary, path)


def test_reloads_only_after_interval_and_change(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    _write(path, "one@co.example")
    clock = Clock()
    watcher = DirectoryWatcher([(path, None)], ["co.example"], interval=5.0, clock=clock)
    first = watcher.current()
    assert first.expand("a@co.example") == {"one@co.example"}
    _write(path, "two@out.example")
    clock.now = 4.0
    assert watcher.current() is first
    clock.now = 5.0
    second = watcher.current()
    assert second is not first
    assert second.expand("a@co.example") == {"two@out.example"}
    assert watcher.reloads == 1
    clock.now = 20.0
    assert watcher.current() is second


def test_failed_reload_keeps_previous_directory(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    _write(path, "one@co.example")
    watcher = DirectoryWatcher.for_paths([path], ["co.example"], interval=0.0)
    before = watcher.current()
    path.unlink()
    assert watcher.check() is False
    assert watcher.current() is before
    assert watcher.last_error is not None and "no such file" in str(watcher.last_error)
    _write(path, "three@co.example")
    assert watcher.check() is True
    assert watcher.last_error is None
    assert watcher.current().expand("a@co.example") == {"three@co.example"}


def test_watches_the_policy_directory_of_the_settings(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    _write(path, "x@out.example")
    config = tmp_path / "crossguard.toml"
    config.write_text('[policy]\ncompany_domains = ["co.example"]\ndirectory = ["d.yaml"]\n'
                      "[routing]\nreload_seconds = 0\n", encoding="utf-8")
    settings = load_settings(config)
    watcher = DirectoryWatcher.for_paths(settings.policy.directory,
                                         settings.policy.company_domains,
                                         interval=settings.routing.reload_seconds)
    assert watcher.current().external_members("a@co.example") == {"x@out.example"}
    _write(path, "y@co.example")
    os.utime(path, ns=(1, 1))
    assert watcher.current().external_members("a@co.example") == frozenset()
