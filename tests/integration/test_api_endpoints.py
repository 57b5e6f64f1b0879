"""Every API endpoint against uvicorn on 127.0.0.1 with a real index and a SQLite file store."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from tests.integration.support.api import RFC822, ApiEnv, MakeApi, leak, running_api

from crossguard.store.models import SpoolEntry

pytestmark = pytest.mark.integration

#: (method, path, least role); {id} is filled with a held entry.
PROTECTED = [
    ("POST", "/v1/check", "checker"),
    ("GET", "/v1/quarantine", "reviewer"),
    ("GET", "/v1/quarantine/{id}", "reviewer"),
    ("POST", "/v1/quarantine/{id}/release", "reviewer"),
    ("POST", "/v1/quarantine/{id}/discard", "reviewer"),
    ("GET", "/v1/audit", "reviewer"),
    ("GET", "/v1/audit/verify", "reviewer"),
    ("GET", "/v1/index/stats", "admin"),
]
LOWER = {"checker": None, "reviewer": "checker", "admin": "reviewer"}


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiEnv]:
    with running_api(tmp_path_factory.mktemp("api")) as running:
        yield running


def _call(env: ApiEnv, role: str | None, method: str, path: str, entry_id: str,
          token: str | None = None) -> tuple[int, dict[str, object], dict[str, str]]:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    with env.client(role) as client:
        response = client.request(method, path.format(id=entry_id), headers=headers,
                                  json={"reason": "test"} if "{id}/" in path else None)
    return response.status_code, response.json(), dict(response.headers)


@pytest.mark.parametrize(("method", "path", "role"), PROTECTED)
def test_every_protected_endpoint_wants_a_token_of_the_right_role(
    env: ApiEnv, method: str, path: str, role: str
) -> None:
    entry_id = env.hold(leak(env.customers, seed=len(path)))
    status, body, headers = _call(env, None, method, path, entry_id)
    assert status == 401 and body == {"error": {"code": "unauthorized",
                                                "message": "a bearer token is required"}}
    assert headers["www-authenticate"] == "Bearer"
    status, body, _ = _call(env, None, method, path, entry_id, token="cgt_forged_token")
    assert status == 401 and body["error"]["message"] == "the bearer token is not valid"
    lower = LOWER[role]
    if lower is not None:
        status, body, _ = _call(env, lower, method, path, entry_id)
        assert status == 403 and body["error"] == {"code": "forbidden",
                                                   "message": f"this needs the {role} role"}


def test_check_rfc822_returns_the_masked_verdict(env: ApiEnv) -> None:
    outbound = leak(env.customers, author=2)
    with env.client("checker") as client:
        response = client.post("/v1/check", content=outbound.raw, headers=RFC822,
                               params={"mail_from": outbound.mail_from,
                                       "rcpt": list(outbound.rcpts)})
    assert response.status_code == 200
    verdict = response.json()["verdict"]
    assert verdict["action"] == "quarantine" and response.json()["quarantine_id"] is None
    assert {rule["rule"] for rule in verdict["rules"]} >= {"cross_customer"}
    assert [a["customer_id"] for a in verdict["attributions"]] == [env.customers[2].customer_id]
    assert env.customers[2].driver_licence not in response.text


def test_check_json_assembles_mime_with_attachments_and_bcc(env: ApiEnv) -> None:
    owner, reader = env.customers[3], env.customers[4]
    sheet = f"Customer phone: {owner.phone}\nLicence: {owner.driver_licence}\n".encode()
    body = {
        "from": "care.team@example.com", "to": [reader.email], "bcc": [env.customers[5].email],
        "subject": "Your documents", "text": "Please see the attached file.",
        "html": "<p>Please see the attached file.</p>",
        "attachments": [{"filename": "sheet.txt", "content_type": "text/plain",
                         "content_base64": base64.b64encode(sheet).decode()}],
    }
    with env.client("checker") as client:
        response = client.post("/v1/check", json=body)
    assert response.status_code == 200, response.text
    verdict = response.json()["verdict"]
    assert verdict["action"] == "quarantine"
    assert owner.customer_id in {a["customer_id"] for a in verdict["attributions"]}
    assert any("attachment:sheet.txt" in f["part"] for f in verdict["findings"])
    rule = next(r for r in verdict["rules"] if r["rule"] == "cross_customer")
    assert "2 recipients" in rule["reason"]  # To and the envelope-only Bcc
    assert owner.phone not in response.text and owner.driver_licence not in response.text


@pytest.mark.parametrize(("headers", "content", "status", "code"), [
    ({"content-type": "application/json"}, b"{not json", 422, "invalid_request"),
    ({"content-type": "application/json"}, b'{"from": "a@example.com", "bogus": 1}', 422,
     "invalid_request"),
    ({"content-type": "application/json"},
     b'{"from": "a@example.com", "attachments": [{"filename": "x", "content_base64": "@@"}]}',
     422, "invalid_request"),
    ({"content-type": "application/json"}, b'{"from": "a@example.com\\r\\nBcc: x@y"}', 422,
     "invalid_request"),
    ({"content-type": "image/png"}, b"\x89PNG", 415, "unsupported_media_type"),
    ({"content-type": "text/plain"}, b'{"from": "a@example.com"}', 415, "unsupported_media_type"),
    ({"content-type": "application/octet-stream"}, b"From: a@example.com\r\n\r\nx", 415,
     "unsupported_media_type"),
    ({}, b"From: a@example.com\r\n\r\nx", 415, "unsupported_media_type"),
    (RFC822, b"", 400, "message_parse_error"),
    (RFC822, b" \t\r\n", 400, "message_parse_error"),
])
def test_check_refuses_bad_requests_with_a_stable_code(
    env: ApiEnv, headers: dict[str, str], content: bytes, status: int, code: str
) -> None:
    with env.client("checker") as client:
        response = client.post("/v1/check", content=content, headers=headers)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert "Traceback" not in response.text and "x@y" not in response.text


@pytest.mark.parametrize(("params", "name"), [
    ({"rcpt": "x@example.org>\r\nRCPT TO:<evil@attacker.test"}, "rcpt"),
    ({"rcpt": ["ok@example.org", "<evil@attacker.test>"]}, "rcpt"),
    ({"rcpt": "a@example.org", "mail_from": "care@example.com\x00"}, "mail_from"),
    ({"rcpt": "a@example.org, evil@attacker.test"}, "rcpt"),
])
def test_envelope_parameters_must_be_bare_addresses(env: ApiEnv, params: dict[str, object],
                                                    name: str) -> None:
    outbound = leak(env.customers, author=2)
    with env.client("checker") as client:
        response = client.post("/v1/check", content=outbound.raw, headers=RFC822,
                               params={**params, "hold": "true"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "bad_request" and error["message"].startswith(f"{name}: ")
    assert "attacker" not in response.text


def test_a_hold_stores_exactly_the_envelope_that_was_checked(env: ApiEnv) -> None:
    owner, to, cc = env.customers[3], env.customers[4], env.customers[5]
    raw = (f"From: care@example.com\r\nTo: Reader <{to.email.upper()}>\r\nCc: {cc.email}\r\n"
           f"Subject: x\r\n\r\nCard {owner.card}, phone {owner.phone}\r\n").encode()
    with env.client("checker") as client:
        given = client.post("/v1/check", content=raw, headers=RFC822, params={
            "hold": "true", "mail_from": "care@example.com", "rcpt": ["one@cust.test"]})
        implied = client.post("/v1/check", content=raw, headers=RFC822,
                              params={"hold": "true"})
    assert given.status_code == 200 and implied.status_code == 200, implied.text
    with env.store.sessions() as session:
        stored = {row.id: (row.mail_from, json.loads(row.rcpts)) for row in session.execute(
            text("SELECT id, mail_from, rcpts FROM quarantine WHERE id IN (:a, :b)"),
            {"a": given.json()["quarantine_id"], "b": implied.json()["quarantine_id"]})}
    assert stored[given.json()["quarantine_id"]] == ("care@example.com", ["one@cust.test"])
    assert stored[implied.json()["quarantine_id"]] == ("", [to.email.lower(), cc.email])


def test_validation_errors_name_fields_not_values(env: ApiEnv) -> None:
    with env.client("checker") as client:
        response = client.post("/v1/check", json={"from": ["secret-value-123"]})
    assert response.status_code == 422
    assert "from" in response.json()["error"]["message"]
    assert "secret-value-123" not in response.text


def test_check_over_the_body_limit_is_413(make_api: MakeApi) -> None:
    small = make_api(api={"max_body_bytes": 1000})
    with small.client("checker") as client:
        response = client.post("/v1/check", content=b"x" * 2000, headers=RFC822)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_hold_quarantines_and_the_queue_filters_and_counts(env: ApiEnv) -> None:
    entry_id = env.hold(leak(env.customers, author=6, seed=6))
    with env.client("reviewer") as client:
        listed = client.get("/v1/quarantine", params={"rule": "external_fanout"}).json()
        assert entry_id in [entry["id"] for entry in listed["entries"]]
        assert listed["by_rule"]["external_fanout"] == listed["total"] >= 1
        assert listed["by_state"]["held"] >= 1
        none = client.get("/v1/quarantine", params={"rule": "bulk_send"}).json()
        assert none["total"] == 0 and none["entries"] == []
        by_sender = client.get("/v1/quarantine", params={"sender": "PREORDER-SUPPORT"}).json()
        assert entry_id in [entry["id"] for entry in by_sender["entries"]]
        assert client.get("/v1/quarantine", params={"sender": "nobody@"}).json()["total"] == 0
        young = client.get("/v1/quarantine", params={"max_age_hours": 1}).json()
        assert entry_id in [entry["id"] for entry in young["entries"]]
        detail = client.get(f"/v1/quarantine/{entry_id}").json()
        assert detail["state"] == "held" and detail["mail_from"].startswith("p***@")
        assert detail["verdict"]["attributions"][0]["customer_id"] == \
            env.customers[6].customer_id
        missing = client.get("/v1/quarantine/doesnotexist")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_release_queues_the_original_bytes_once_and_is_audited(env: ApiEnv) -> None:
    outbound = leak(env.customers, author=7, seed=7)
    entry_id = env.hold(outbound)
    with env.client("reviewer") as client:
        blank = client.post(f"/v1/quarantine/{entry_id}/release", json={"reason": "   "})
        assert blank.status_code == 422 and "reason" in blank.json()["error"]["message"]
        missing = client.post(f"/v1/quarantine/{entry_id}/release", json={})
        assert missing.status_code == 422
        released = client.post(f"/v1/quarantine/{entry_id}/release",
                               json={"reason": "customer asked us to forward it"})
        assert released.status_code == 200 and released.json()["state"] == "released"
        again = client.post(f"/v1/quarantine/{entry_id}/discard", json={"reason": "oops"})
        assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
        audit = client.get("/v1/audit", params={"limit": 1000}).json()["entries"]
    spool_id = released.json()["spool_id"]
    with env.store.sessions() as session:
        row = session.get(SpoolEntry, spool_id)
        assert row is not None and row.state == "queued"
    assert env.store.spool.body(spool_id) == outbound.raw
    event = next(e for e in audit if e["event"] == "quarantine.release"
                 and e["payload"]["quarantine_id"] == entry_id)
    assert event["actor"].startswith("api:") and event["payload"]["reason"] == \
        "customer asked us to forward it"


def test_discard_drops_the_entry(env: ApiEnv) -> None:
    entry_id = env.hold(leak(env.customers, author=8, seed=8))
    with env.client("admin") as client:
        response = client.post(f"/v1/quarantine/{entry_id}/discard", json={"reason": "a leak"})
        assert response.status_code == 200 and response.json() == {
            "id": entry_id, "state": "discarded", "spool_id": None}
        shown = client.get(f"/v1/quarantine/{entry_id}").json()
    assert shown["state"] == "discarded" and shown["reason"] == "a leak"


def test_audit_lists_masked_entries_and_verifies(env: ApiEnv) -> None:
    env.hold(leak(env.customers, author=9, seed=9))
    with env.client("reviewer") as client:
        entries = client.get("/v1/audit", params={"after": 0, "limit": 500}).json()["entries"]
        verify = client.get("/v1/audit/verify").json()
        later = client.get("/v1/audit", params={"after": entries[-1]["seq"]}).json()
    assert [e["seq"] for e in entries] == list(range(1, len(entries) + 1))
    assert {"access.token_create", "quarantine.hold"} <= {e["event"] for e in entries}
    assert verify["ok"] is True and verify["entries"] == verify["head_seq"] >= len(entries)
    assert later["entries"] == [] or later["entries"][0]["seq"] > entries[-1]["seq"]
    assert env.customers[9].email not in json.dumps(entries)


def test_index_stats_count_customers_without_identifiers(env: ApiEnv) -> None:
    with env.client("admin") as client:
        stats = client.get("/v1/index/stats").json()
    assert stats["customers"] == len(env.customers)
    assert stats["by_kind"]["EMAIL"] == len(env.customers)


def test_metrics_count_checks_by_action_and_rule(env: ApiEnv) -> None:
    before = _metric(env, 'crossguard_messages_checked_total{action="quarantine"}')
    env.hold(leak(env.customers, author=10, seed=10))
    text_body = httpx_get(env, "/metrics")
    assert _metric(env, 'crossguard_messages_checked_total{action="quarantine"}') == before + 1
    assert 'crossguard_rule_actions_total{action="quarantine",rule="cross_customer"}' in text_body
    assert "crossguard_check_seconds_bucket" in text_body


def httpx_get(env: ApiEnv, path: str) -> str:
    with env.client() as client:
        response = client.get(path)
    assert response.status_code == 200
    return response.text


def _metric(env: ApiEnv, name: str) -> float:
    for line in httpx_get(env, "/metrics").splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    return 0.0


def test_health_and_readiness(env: ApiEnv) -> None:
    with env.client() as client:
        assert client.get("/healthz").json() == {"status": "ok", "checks": {}}
        ready = client.get("/readyz").json()
    assert ready == {"status": "ok", "checks": {"guard": "ok", "index": "ok", "store": "ok"}}


def test_openapi_documents_every_endpoint(env: ApiEnv) -> None:
    with env.client() as client:
        schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    for method, path, _role in PROTECTED:
        assert method.lower() in paths[path.replace("{id}", "{entry_id}")]
    assert {"/metrics", "/healthz", "/readyz"} <= set(paths)
    body = paths["/v1/check"]["post"]["requestBody"]["content"]
    assert set(body) == {"message/rfc822", "application/json"}
    assert "CheckRequest" in schema["components"]["schemas"]
    assert not any(path.startswith("/ui") for path in paths)


def test_an_internal_failure_is_a_bare_500(make_api: MakeApi) -> None:
    broken = make_api()
    with broken.store.engine.begin() as connection:
        connection.execute(text("DROP TABLE quarantine"))
    with broken.client("reviewer") as client:
        response = client.get("/v1/quarantine")
    assert response.status_code == 500
    assert response.json() == {"error": {"code": "internal_error", "message": "internal error"}}


def test_private_metrics_need_a_reviewer_token(make_api: MakeApi) -> None:
    private = make_api(api={"metrics_public": False})
    responses = []
    for role in (None, "checker", "reviewer"):
        with private.client(role) as client:
            responses.append(client.get("/metrics"))
    assert [response.status_code for response in responses] == [401, 403, 200]
    assert "crossguard_check_seconds" in responses[2].text
