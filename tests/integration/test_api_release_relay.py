"""A message held through the API and released there is delivered by the gateway's relay worker.

Runs on a SQLite file and on the local PostgreSQL: the API and the gateway share one store.
"""

from __future__ import annotations

import pytest
from tests.integration.support.api import MakeApi, leak
from tests.integration.support.gateway import MakeGateway, Sink

pytestmark = pytest.mark.integration


def test_release_through_the_api_is_relayed_by_the_gateway(
    store_url: str, sink: Sink, make_api: MakeApi, make_gateway: MakeGateway
) -> None:
    gateway = {"listen": "127.0.0.1:0", "upstream": f"127.0.0.1:{sink.port}",
               "poll_seconds": 0.1, "retry_base_seconds": 0.2, "retry_max_seconds": 1.0}
    env = make_api(store_url, gateway=gateway)
    outbound = leak(env.customers, author=1, members=4, seed=1)
    entry_id = env.hold(outbound)
    make_gateway(env.settings)
    assert not sink.wait_for(1, timeout=1.0)  # held: nothing goes out
    with env.client("reviewer") as client:
        released = client.post(f"/v1/quarantine/{entry_id}/release",
                               json={"reason": "verified with the customer"})
        assert released.status_code == 200
        assert sink.wait_for(1, timeout=20)
        chain = client.get("/v1/audit/verify").json()
        events = [e["event"] for e in client.get(
            "/v1/audit", params={"limit": 1000}).json()["entries"]]
    (mail_from, rcpts, body) = sink.messages[0]
    assert body.replace(b"\r\n", b"\n") == outbound.raw.replace(b"\r\n", b"\n")
    assert mail_from == outbound.mail_from and sorted(rcpts) == sorted(outbound.rcpts)
    assert chain["ok"] is True
    assert events.index("quarantine.hold") < events.index("quarantine.release")
