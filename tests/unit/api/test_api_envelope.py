"""/v1/check envelope addresses: bare addresses only; a 400 names the parameter, not the value."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from crossguard.api.envelope import address, checked_recipients, json_envelope, query_envelope
from crossguard.api.schemas import CheckRequest
from crossguard.message.parse import parse_message
from crossguard.message.settings import ParseLimits
from crossguard.service.errors import BadRequest


@pytest.mark.parametrize("value", [
    "x@example.org>\r\nRCPT TO:<evil@attacker.test", "a@b.test\r\n", "a@b.test\n", "a\rb@c.test",
    "<a@b.test>", "a@b.test>", "a b@c.test", "a@b.test, c@d.test", "a@b.test\x00",
    "a\u202e@b.test", "a\u2028@b.test", "a\tb@c.test", "@b.test", "a@", "plain", "a@b@c.test",
    "a@b.test;c@d.test", '"a"@b.test', "a" * 65 + "@b.test", "a@" + "b" * 260 + ".test", "",
    "jos\u00e9@b.test", "a@b\u00fccher.example", "a\u200b@b.test", "a@b.test\u0085",
])
def test_anything_but_one_bare_address_is_refused(value: str) -> None:
    with pytest.raises(BadRequest) as refused:
        address("rcpt", value)
    message = str(refused.value)
    assert message.startswith("rcpt: not a bare e-mail address")
    assert value.strip() == "" or value not in message


@pytest.mark.parametrize("value", ["a@b.test", "First.Last+tag@sub.example.co.uk",
                                   "a@xn--bcher-kva.example", "o'brien@x.test"])
def test_bare_addresses_pass_unchanged(value: str) -> None:
    assert address("rcpt", value) == value


def test_query_envelope_names_the_parameter() -> None:
    assert query_envelope(None, []) == (None, [])
    assert query_envelope("s@x.test", ["a@y.test"]) == ("s@x.test", ["a@y.test"])
    with pytest.raises(BadRequest, match=r"^mail_from: "):
        query_envelope("s@x.test>", ["a@y.test"])
    with pytest.raises(BadRequest, match=r"^rcpt: "):
        query_envelope("s@x.test", ["a@y.test", "b@y.test>\r\nRCPT TO:<c@z.test"])


def test_json_addresses_are_bare_by_their_schema() -> None:
    described = CheckRequest.model_validate_json(json.dumps(
        {"from": "care@example.com", "to": ["bob@x.test"], "cc": ["c@x.test"],
         "bcc": ["d@x.test"]}))
    assert json_envelope(described) == ("care@example.com", ["bob@x.test", "c@x.test",
                                                             "d@x.test"])
    for field, value in [("from", "Care <care@example.com>"), ("to", ["a@x.test>\r\nX: y"]),
                         ("cc", ["a@x.test", "not an address"]), ("bcc", ["a@x.test, b@y.test"])]:
        with pytest.raises(ValidationError) as refused:
            CheckRequest.model_validate({"from": "care@example.com", field: value})
        assert refused.value.errors()[0]["loc"][0] == field


def test_checked_recipients_are_the_parameters_else_to_and_cc() -> None:
    raw = b"From: s@x.test\r\nTo: A@y.test, b@y.test\r\nCc: c@y.test\r\n\r\nhi\r\n"
    message = parse_message(raw, ParseLimits())
    assert checked_recipients(message, ["only@y.test"]) == ["only@y.test"]
    assert checked_recipients(message, []) == ["a@y.test", "b@y.test", "c@y.test"]
