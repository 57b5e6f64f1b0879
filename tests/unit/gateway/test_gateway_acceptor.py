"""The acceptor queues a message once, however many copies arrive together, and hands
messages to a relay worker with a free slot committed already claimed."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from crossguard.gateway.acceptor import Acceptor
from crossguard.gateway.settings import GatewaySettings
from crossguard.policy.verdict import Verdict
from crossguard.store.settings import StoreSettings
from crossguard.store.spool import Claim, SpoolItem
from crossguard.store.store import Store


class Allow:
    """A checker that allows everything."""

    def check(self, raw: bytes, *, mail_from: str | None = None, rcpts: Sequence[str] = ()
              ) -> Verdict:
        return Verdict(action="allow")


class OneSlot:
    """A relay worker with one delivery slot that records what it is handed."""

    def __init__(self) -> None:
        self.free = 1
        self.handed: list[tuple[SpoolItem | None, bytes]] = []

    def reserve(self) -> Claim | None:
        if not self.free:
            return None
        self.free -= 1
        return Claim("gw1", 60)

    def hand(self, item: SpoolItem | None, body: bytes) -> None:
        self.handed.append((item, body))


def store_at(tmp_path: Path) -> Store:
    return Store(StoreSettings(url=f"sqlite:///{tmp_path / 's.db'}",
                               spool_dir=tmp_path / "spool"), secret_key=None)


def test_a_free_relay_slot_gets_the_message_committed_claimed(tmp_path: Path) -> None:
    store, pool, relay = store_at(tmp_path), ThreadPoolExecutor(4), OneSlot()
    acceptor = Acceptor(store, Allow(), GatewaySettings(), pool, pool, relay=relay)

    async def send_two() -> list[bool]:
        first = await acceptor.accept("a@example.com", ["b@example.com"], b"one\r\n")
        second = await acceptor.accept("a@example.com", ["b@example.com"], b"two\r\n")
        return [first.queued, second.queued]

    try:
        assert asyncio.run(send_two()) == [False, True], "only the second waits for a claim"
        assert store.spool.counts() == {"relaying": 1, "queued": 1}
        ((item, body),) = relay.handed
        assert item is not None and body == b"one\r\n" and item.attempts == 1
        assert store.spool.load(item) == body
    finally:
        pool.shutdown()
        store.close()


def test_copies_arriving_together_are_queued_once(tmp_path: Path) -> None:
    store = Store(StoreSettings(url=f"sqlite:///{tmp_path / 's.db'}",
                                spool_dir=tmp_path / "spool"), secret_key=None)
    pool = ThreadPoolExecutor(4)
    acceptor = Acceptor(store, Allow(), GatewaySettings(), pool, pool)
    body = b"Subject: hi\r\n\r\nsame bytes\r\n"

    async def send_copies() -> list[str]:
        outcomes = await asyncio.gather(*[
            acceptor.accept("a@example.com", ["b@example.com"], body) for _ in range(5)])
        return [outcome.reply for outcome in outcomes]

    try:
        replies = asyncio.run(send_copies())
        assert len(set(replies)) == 1 and replies[0].startswith("250 ")
        assert store.spool.counts() == {"queued": 1}
        assert len(list((tmp_path / "spool").glob("*.eml"))) == 1, "copies leave no file"
        events = [entry.event for entry in store.audit.entries()]
        assert events == ["message.allow"]
    finally:
        pool.shutdown()
        store.close()
