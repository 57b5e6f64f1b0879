"""The SQL bulk-send counter: distinct recipients per sender in a window, shared by instances."""

from __future__ import annotations

from collections.abc import Callable

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
