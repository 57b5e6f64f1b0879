"""The relay worker's delivery slots for messages the acceptor commits already claimed."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from crossguard.gateway.relay import RelayWorker
from crossguard.gateway.settings import GatewaySettings
from crossguard.store.settings import StoreSettings
from crossguard.store.store import Store


def test_slots_are_reserved_freed_and_closed_at_stop(tmp_path: Path) -> None:
    store = Store(StoreSettings(url=f"sqlite:///{tmp_path / 's.db'}",
                                spool_dir=tmp_path / "spool"), secret_key=None)
    pool = ThreadPoolExecutor(2)

    async def scenario() -> None:
        worker = RelayWorker(store, GatewaySettings(relay_concurrency=1), pool)
        claim = worker.reserve()
        assert claim is not None and claim.owner == store.instance
        assert worker.reserve() is None, "the only slot is taken"
        worker.hand(None, b"")  # the commit failed: the slot is free again
        claim = worker.reserve()  # a message is being decided while the gateway stops
        assert claim is not None
        await worker.stop()
        spool_id = store.spool.write(b"body\r\n")
        with store.sessions.begin() as session:
            item = store.spool.record(session, spool_id, mail_from="a@example.com",
                                      rcpts=["b@example.com"], digest="d", state="queued",
                                      claim=claim)
        tasks = len(asyncio.all_tasks())
        worker.hand(item, b"body\r\n")
        assert len(asyncio.all_tasks()) == tasks, "nothing is sent once stopping"
        assert store.spool.counts() == {"relaying": 1}, "recovery requeues it at the next start"
        assert worker.reserve() is None, "no new slot once stopping"

    try:
        asyncio.run(scenario())
    finally:
        pool.shutdown()
        store.close()
