"""No raw identifier of a seeded customer in any API response, dashboard page or log line.

Messages carrying known customers' values go through ``/v1/check`` (raw and JSON)
and the quarantine; then every endpoint and page is fetched and searched.
"""

from __future__ import annotations

import base64
import logging
import re
from pathlib import Path

import httpx
import pytest
from tests.integration.support.api import RFC822, leak, raw_values, running_api

from crossguard.store.access import Access
from crossguard.synth.customers import Customer

pytestmark = pytest.mark.integration


def _needles(customers: list[Customer]) -> list[str]:
    return sorted({value for customer in customers for value in raw_values(customer)
                   if len(value) >= 5}, key=len, reverse=True)


def _login(client: httpx.Client) -> None:
    page = client.get("/ui/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf
    response = client.post("/ui/login", data={"csrf": csrf.group(1), "username": "rita",
                                              "password": "s3cret-passphrase"})
    assert response.status_code == 303


def test_no_raw_identifier_anywhere(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    bodies: list[tuple[str, str]] = []
    with running_api(tmp_path) as env:
        Access(env.store.sessions).add_user("rita", "s3cret-passphrase", "reviewer")
        seeded = env.customers[:6]
        ids = [env.hold(leak(env.customers, author=n, members=6, seed=n)) for n in range(4)]
        owner, reader = seeded[4], seeded[5]
        sheet = (f"{owner.name}\n{owner.street}\nPhone {owner.phone}\nCard {owner.card}\n"
                 f"Passport {owner.passport}\nSSN {owner.national_id}\n").encode()
        described = {"from": "care.team@example.com", "to": [reader.email],
                     "subject": f"Order {owner.order_ids[0]}",
                     "text": f"Dear {owner.name}, your licence {owner.driver_licence}.",
                     "attachments": [{"filename": "details.txt", "content_type": "text/plain",
                                      "content_base64": base64.b64encode(sheet).decode()}]}
        with env.client("admin") as api:
            checked = api.post("/v1/check", json=described, params={"hold": "true"})
            assert checked.status_code == 200 and checked.json()["quarantine_id"]
            ids.append(checked.json()["quarantine_id"])
            outbound = leak(env.customers, author=5, members=6, seed=5)
            raw = api.post("/v1/check", content=outbound.raw, headers=RFC822,
                           params={"mail_from": outbound.mail_from, "rcpt": list(outbound.rcpts)})
            bodies += [("check json", checked.text), ("check raw", raw.text)]
            released = api.post(f"/v1/quarantine/{ids[0]}/release", json={"reason": "ok"})
            discarded = api.post(f"/v1/quarantine/{ids[1]}/discard", json={"reason": "leak"})
            bodies += [("release", released.text), ("discard", discarded.text)]
            for path in ["/v1/quarantine?state=all", "/v1/audit?limit=1000",
                         "/v1/audit/verify", "/v1/index/stats", "/metrics", "/openapi.json",
                         "/readyz", *[f"/v1/quarantine/{entry}" for entry in ids]]:
                response = api.get(path)
                assert response.status_code == 200, path
                bodies.append((path, response.text))
        with httpx.Client(base_url=env.url, timeout=30) as browser:
            _login(browser)
            pages = ["/ui/quarantine", "/ui/quarantine?state=all", "/ui/audit?limit=500",
                     "/ui/reports", *[f"/ui/quarantine/{entry}" for entry in ids]]
            for path in pages:
                response = browser.get(path)
                assert response.status_code == 200, path
                bodies.append((path, response.text))
    held_pages = [text for path, text in bodies if path.startswith("/ui/quarantine/")]
    assert all("Customer <code>C" in text for text in held_pages)  # pages have real content
    assert any(owner.customer_id in text for text in held_pages)
    logs = "\n".join(record.getMessage() for record in caplog.records)
    for needle in _needles(seeded):
        for where, text in [*bodies, ("logs", logs)]:
            assert needle not in text, f"a raw {_kind(needle, seeded)} appears in {where}"


def _kind(needle: str, customers: list[Customer]) -> str:
    """Which field a leaked value is (named in the failure, never the value itself)."""
    for customer in customers:
        for name, value in customer.as_row().items():
            if needle in str(value):
                return name
    return "value"
