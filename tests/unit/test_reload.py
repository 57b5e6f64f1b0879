"""LiveGuard: a new Guard beside the old one, swapped on change; a broken file keeps the old."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from crossguard.config import Settings
from crossguard.reload import LiveGuard

MAIL = (b"From: care@example.com\r\nTo: alice@cust.test\r\nReply-To: news@example.com\r\n"
        b"Subject: hi\r\nMessage-ID: <r@example.com>\r\n\r\nHello.\r\n")


def write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


@pytest.fixture
def virtual(tmp_path: Path) -> Path:
    path = tmp_path / "virtual"
    path.write_text("team@example.com agent1@example.com\n", encoding="utf-8")
    return path


def action(live: LiveGuard) -> str:
    return live.check(MAIL, mail_from="care@example.com", rcpts=["alice@cust.test"]).action


def test_reload_swaps_and_in_flight_keeps_its_guard(
    virtual: Path, make_settings: Callable[..., Settings],
) -> None:
    live = LiveGuard(make_settings(directory=[str(virtual)]))
    assert action(live) == "allow"
    assert live.poll() is False, "nothing changed"
    before = live.guard
    write_atomically(virtual, "news@example.com alice@cust.test, bob@other.test\n")
    assert live.poll() is True
    assert live.guard is not before and live.reloads == 1
    assert action(live) == "quarantine"
    # a check that started on the old Guard still sees the old directory
    old = before.check(MAIL, mail_from="care@example.com", rcpts=["alice@cust.test"])
    assert old.action == "allow"


def test_broken_file_keeps_the_old_guard_and_says_why(
    tmp_path: Path, make_settings: Callable[..., Settings], caplog: pytest.LogCaptureFixture,
) -> None:
    groups = tmp_path / "groups.yaml"
    groups.write_text("groups:\n  - address: news@example.com\n"
                      "    members: [alice@cust.test, bob@other.test]\n", encoding="utf-8")
    live = LiveGuard(make_settings(directory=[str(groups)]))
    kept = live.guard
    assert action(live) == "quarantine"
    write_atomically(groups, "groups: [ {address: news@example.com, members: [\n")
    assert live.poll() is False
    assert live.guard is kept and live.reloads == 0
    assert live.last_error is not None and "groups.yaml" in live.last_error
    assert "keeping the current index and directory" in caplog.text
    assert action(live) == "quarantine", "the old directory still applies"
    assert live.poll() is False, "the same broken file is not retried in a loop"
    write_atomically(groups, "groups: []\n")
    assert live.poll() is True and action(live) == "allow"


def test_watcher_thread_reloads_within_the_interval(
    virtual: Path, make_settings: Callable[..., Settings],
) -> None:
    settings = make_settings(directory=[str(virtual)])
    settings = settings.model_copy(update={"routing": settings.routing.model_copy(
        update={"reload_seconds": 0.2})})
    live = LiveGuard(settings)
    live.start_watching()
    try:
        write_atomically(virtual, "news@example.com alice@cust.test, bob@other.test\n")
        deadline = time.monotonic() + 5
        while live.reloads == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert live.reloads == 1
        assert action(live) == "quarantine"
    finally:
        live.stop_watching()
