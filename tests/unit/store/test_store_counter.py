"""The SQL bulk-send counter: distinct recipients per sender in a window, shared by instances."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text

from crossguard.store import counter as module
from crossguard.store.store import Store


def test_counts_distinct_recipients_within_window(make_store: Callable[..., Store]) -> None:
    counter = make_store().counter
    assert counter.record_and_count("S@example.com", ["a@x", "b@x"], 60, 1000.0) == 2
    assert counter.record_and_count("s@example.com", ["B@x", "c@x"], 60, 1010.0) == 3
    assert counter.record_and_count("other@example.com", ["a@x"], 60, 1010.0) == 1
    assert counter.record_and_count("s@example.com", ["d@x"], 60, 1065.0) == 3  # a@x expired
    assert counter.record_and_count("s@example.com", [], 60, 2000.0) == 0


def test_instances_share_the_count(make_store: Callable[..., Store]) -> None:
    one, two = make_store("gw1").counter, make_store("gw2").counter
    one.record_and_count("s@example.com", [f"r{n}@x" for n in range(3)], 3600, 5000.0)
    assert two.record_and_count("s@example.com", ["r9@x"], 3600, 5001.0) == 4


def test_marks_kept_for_the_baseline_survive_a_restart(make_store: Callable[..., Store]) -> None:
    one = make_store("gw1").counter
    one.record_and_count("new:s@example.com", ["a", "b", "c"], 3600, 10_000.0, keep_seconds=86400)
    one.record_and_count("new:s@example.com", ["d"], 3600, 20_000.0, keep_seconds=86400)
    two = make_store("gw2").counter  # another instance, or the same one restarted
    assert two.record_and_count("new:s@example.com", ["e"], 3600, 30_000.0,
                                keep_seconds=86400) == 1
    assert two.peak("new:s@example.com", 0.0, 26_400.0, 3600) == 3
    assert two.peak("new:other@example.com", 0.0, 26_400.0, 3600) == 0


def test_a_sweep_deletes_every_keys_old_marks(make_store: Callable[..., Store],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    store = make_store()
    store.counter.record_and_count("template:once", ["a", "b"], 60, 1000.0)
    monkeypatch.setattr(module, "SWEEP_SECONDS", 0.0)
    store.counter.record_and_count("template:other", ["c"], 60, 5000.0)
    with store.engine.connect() as connection:
        keys = connection.execute(text("SELECT DISTINCT sender FROM bulk_send")).scalars().all()
    assert keys == ["template:other"]
