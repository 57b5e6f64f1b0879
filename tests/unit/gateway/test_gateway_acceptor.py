"""The acceptor queues a message once, however many copies arrive together."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from crossguard.gateway.acceptor import Acceptor
from crossguard.gateway.settings import GatewaySettings
from crossguard.policy.verdict import Verdict
from crossguard.store.settings import StoreSettings
from crossguard.store.store import Store


class Allow:
    """A checker that allows everything."""

    def check(self, raw: bytes, *, mail_from: str | None = None, rcpts: Sequence[str] = ()
              ) -> Verdict:
        return Verdict(action="allow")


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
