"""/v1/verify against uvicorn on 127.0.0.1, on SQLite and PostgreSQL: roles, links, uploads,
decisions, CSV export; invitations through a real SMTP sink."""

from __future__ import annotations

import csv
import re
from datetime import date

import httpx
import pytest
from tests.integration.support.api import ApiEnv, MakeApi, raw_values
from tests.integration.support.gateway import Sink

from crossguard.synth.idimages import licence_photo

pytestmark = pytest.mark.integration


@pytest.fixture
def env(make_api: MakeApi, store_url: str, sink: Sink) -> tuple[ApiEnv, Sink]:
    """A running API on SQLite and on PostgreSQL whose invitations go to the sink."""
    api = make_api(store_url, gateway={"upstream": f"127.0.0.1:{sink.port}"},
                   verify={"public_url": "https://verify.example.com",
                           "mail_from": "care@example.com"})
    return api, sink


def upload(api: ApiEnv, link: str, data: bytes) -> httpx.Response:
    path = link.removeprefix("https://verify.example.com")
    with api.client() as client:
        page = client.get(path)
        token = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert token is not None
        return client.post(path, data={"csrf": token.group(1), "address": "no"},
                           files={"document": ("id.jpg", data, "image/jpeg")})


def test_roles_links_decisions_and_export(env: tuple[ApiEnv, Sink]) -> None:
    api, sink = env
    owner, other = api.customers[0], api.customers[1]
    body = {"name": "pre-orders", "deliver": "links",
            "customers": [{"customer_id": owner.customer_id, "email": owner.email},
                          {"customer_id": other.customer_id, "email": other.email}]}
    with api.client() as anonymous:
        assert anonymous.post("/v1/verify/campaigns", json=body).status_code == 401
    with api.client("reviewer") as reviewer:
        assert reviewer.post("/v1/verify/campaigns", json=body).status_code == 403
    with api.client("checker") as checker:
        assert checker.get("/v1/verify/items").status_code == 403
    with api.client("admin") as admin:
        bad = admin.post("/v1/verify/campaigns", json={**body, "customers": [
            {"customer_id": "C1", "email": "not an address"}]})
        assert bad.status_code == 422 and "email" in bad.json()["error"]["message"]
        made = admin.post("/v1/verify/campaigns", json=body)
        assert made.status_code == 201, made.text
        links = {item["customer_id"]: item["link"] for item in made.json()["links"]}
        sent = admin.post("/v1/verify/campaigns", json={**body, "deliver": "send"})
        assert sent.status_code == 201 and sent.json()["sent"] == 2 and not sent.json()["links"]
        sink.refuse = {other.email}
        partly = admin.post("/v1/verify/campaigns", json={**body, "deliver": "send"}).json()
        assert (partly["sent"], partly["refused"]) == (1, [other.customer_id])
    assert sink.wait_for(3)
    assert sorted(rcpts[0] for _, rcpts, _ in sink.messages) == sorted([owner.email,
                                                                         other.email,
                                                                         owner.email])

    photo = licence_photo(owner.name, owner.address, owner.driver_licence,
                          date.fromisoformat(owner.dob))
    assert upload(api, links[owner.customer_id], photo).status_code == 303
    assert upload(api, links[other.customer_id], photo).status_code == 303
    with api.client("reviewer") as reviewer:
        waiting = reviewer.get("/v1/verify/items").json()
        assert {item["customer_id"]: item["outcome"] for item in waiting} == {
            owner.customer_id: "match", other.customer_id: "mismatch"}
        text = reviewer.get("/v1/verify/items").text
        for value in raw_values(owner):
            assert value not in text
        item = next(item for item in waiting if item["customer_id"] == owner.customer_id)
        assert item["address_confirmed"] is False
        assert reviewer.post(f"/v1/verify/items/{item['id']}/decide",
                             json={"decision": "maybe", "reason": "x"}).status_code == 422
        decided = reviewer.post(f"/v1/verify/items/{item['id']}/decide",
                                json={"decision": "verified", "reason": "licence matches"})
        assert decided.status_code == 200
        assert decided.json()["purged"] and decided.json()["reading"] is None
        again = reviewer.post(f"/v1/verify/items/{item['id']}/decide",
                              json={"decision": "rejected", "reason": "again"})
        assert again.status_code == 409
        assert reviewer.get("/v1/verify/items/" + "0" * 32).status_code == 404
        campaigns = reviewer.get("/v1/verify/campaigns").json()
        assert [campaign["total"] for campaign in campaigns] == [2, 2, 2]
        shown = reviewer.get(f"/v1/verify/campaigns/{made.json()['campaign_id']}").json()
        assert shown["campaign"]["counts"] == {"verified": 1, "received": 1}
        exported = reviewer.get("/v1/verify/decisions")
        assert exported.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(exported.text.splitlines()))
        assert [(row["customer_id"], row["decision"]) for row in rows] == [
            (owner.customer_id, "verified")]
    with api.client("admin") as admin:
        one = f"/v1/verify/campaigns/{sent.json()['campaign_id']}/customers"
        single = admin.post(f"{one}/{owner.customer_id}/revoke")
        assert single.status_code == 200 and single.json()["state"] == "revoked"
        assert admin.post(f"{one}/{owner.customer_id}/revoke").status_code == 409
        assert admin.post(f"{one}/C9999999/revoke").status_code == 404
        revoked = admin.post(f"/v1/verify/campaigns/{sent.json()['campaign_id']}/revoke")
        assert revoked.json()["revoked"] == 1
    assert api.store.audit.verify().ok
