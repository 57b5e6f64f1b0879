"""Schemathesis against the live /openapi.json: no 5xx, every response matches the schema."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import Case
from schemathesis.schemas import BaseSchema
from tests.integration.support.api import ApiEnv, leak, running_api
from tests.integration.support.gateway import Sink

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@schemathesis.serializer("message/rfc822")
def _rfc822(_ctx: Any, value: Any) -> bytes:
    """Generated rfc822 bodies go out as bytes (schemathesis wraps binary data in ``.data``)."""
    data = getattr(value, "data", value)
    if isinstance(data, bytes):
        return data
    return str(data if data is not None else "").encode("utf-8", "surrogatepass")


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiEnv]:
    sink = Sink().start()  # campaign invitations go here, never to a real MTA
    try:
        with running_api(tmp_path_factory.mktemp("fuzz"),
                         gateway={"upstream": f"127.0.0.1:{sink.port}"},
                         verify={"public_url": "https://verify.example.com",
                                 "mail_from": "care@example.com"}) as running:
            running.hold(leak(running.customers))
            yield running
    finally:
        sink.stop()


#: Examples per operation; raise it locally with $CROSSGUARD_FUZZ_EXAMPLES for a longer hunt.
EXAMPLES = int(os.environ.get("CROSSGUARD_FUZZ_EXAMPLES", "20"))
OPERATIONS = [
    ("POST", "/v1/check"), ("GET", "/v1/quarantine"), ("GET", "/v1/quarantine/{entry_id}"),
    ("POST", "/v1/quarantine/{entry_id}/release"), ("POST", "/v1/quarantine/{entry_id}/discard"),
    ("GET", "/v1/audit"), ("GET", "/v1/audit/verify"), ("GET", "/v1/index/stats"),
    ("GET", "/metrics"), ("GET", "/healthz"), ("GET", "/readyz"),
    ("POST", "/v1/verify/campaigns"), ("GET", "/v1/verify/campaigns"),
    ("GET", "/v1/verify/campaigns/{campaign_id}"),
    ("POST", "/v1/verify/campaigns/{campaign_id}/revoke"),
    ("POST", "/v1/verify/campaigns/{campaign_id}/customers/{customer_id}/revoke"),
    ("GET", "/v1/verify/items"),
    ("GET", "/v1/verify/items/{item_id}"), ("POST", "/v1/verify/items/{item_id}/decide"),
    ("GET", "/v1/verify/decisions"),
]


@pytest.fixture(scope="module")
def api_schema(env: ApiEnv) -> BaseSchema:
    schema = schemathesis.openapi.from_url(f"{env.url}/openapi.json")

    @schema.auth()
    class AdminToken:
        """The admin token, as explicit auth (the auth checks strip and forge it)."""

        def get(self, case: Case, context: Any) -> str:
            return env.tokens["admin"]

        def set(self, case: Case, data: str, context: Any) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    return schema


def test_the_schema_lists_exactly_these_operations(api_schema: BaseSchema) -> None:
    found = {(result.ok().method.upper(), result.ok().path)
             for result in api_schema.get_all_operations()}
    assert found == set(OPERATIONS)


def _blank(body: Any) -> bool:
    return isinstance(body, bytes | str) and not body.strip()


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_operation_conforms_to_its_schema(api_schema: BaseSchema, method: str, path: str) -> None:
    operation = api_schema[path][method]
    # A blank raw body is no message (400 message_parse_error, checked in test_api_endpoints);
    # OpenAPI cannot say "not only white space" for a binary body, so it is left out here.
    @given(case=operation.as_strategy().filter(lambda case: not _blank(case.body)))
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    def run(case: Case) -> None:
        case.call_and_validate()

    run()
