"""A message held through the API and released there is delivered by the gateway's relay worker.

Runs on a SQLite file and on the local PostgreSQL: the API and the gateway share one store.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_api_support import leak, running_api
from test_gateway_support import Sink, database, start_gateway

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_release_through_the_api_is_relayed_by_the_gateway(kind: str, tmp_path: Path) -> None:
    sink = Sink().start()
    gateway = {"listen": "127.0.0.1:0", "upstream": f"127.0.0.1:{sink.port}",
               "poll_seconds": 0.1, "retry_base_seconds": 0.2, "retry_max_seconds": 1.0}
    try:
        with database(kind, tmp_path) as url, running_api(tmp_path, url, gateway=gateway) as env:
            outbound = leak(env.customers, author=1, members=4, seed=1)
            entry_id = env.hold(outbound)
            relay = start_gateway(env.settings)
            try:
                assert not sink.wait_for(1, timeout=1.0)  # held: nothing goes out
                with env.client("reviewer") as client:
                    released = client.post(f"/v1/quarantine/{entry_id}/release",
                                           json={"reason": "verified with the customer"})
                    assert released.status_code == 200
                    assert sink.wait_for(1, timeout=20)
                    chain = client.get("/v1/audit/verify").json()
                    events = [e["event"] for e in client.get(
                        "/v1/audit", params={"limit": 1000}).json()["entries"]]
            finally:
                relay.stop()
    finally:
        sink.stop()
    (mail_from, rcpts, body) = sink.messages[0]
    assert body.replace(b"\r\n", b"\n") == outbound.raw.replace(b"\r\n", b"\n")
    assert mail_from == outbound.mail_from and sorted(rcpts) == sorted(outbound.rcpts)
    assert chain["ok"] is True
    assert events.index("quarantine.hold") < events.index("quarantine.release")
