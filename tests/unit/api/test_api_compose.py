"""Assembling JSON check requests into MIME."""

from __future__ import annotations

import base64
import json
from email import message_from_bytes
from email.policy import default

import pytest

from crossguard.api.compose import clean_header, compose
from crossguard.api.envelope import json_envelope
from crossguard.api.schemas import AttachmentIn, CheckRequest
from crossguard.service.errors import BadRequest


def request(**fields: object) -> CheckRequest:
    """Validated from JSON, as the API does (JSON may carry lone surrogates)."""
    return CheckRequest.model_validate_json(json.dumps({"from": "care@example.com", **fields}))


def test_headers_bodies_and_attachments() -> None:
    raw = compose(request(
        to=["a@cust.test"], cc=["b@cust.test"], bcc=["c@cust.test"], reply_to=["r@example.com"],
        subject="Your order", text="plain body", html="<p>html body</p>",
        attachments=[{"filename": "a.txt", "content_type": "text/plain",
                      "content_base64": base64.b64encode(b"attached text").decode()}],
    ))
    parsed = message_from_bytes(raw, policy=default)
    assert parsed["From"] == "care@example.com" and parsed["To"] == "a@cust.test"
    assert parsed["Cc"] == "b@cust.test" and parsed["Reply-To"] == "r@example.com"
    assert "Bcc" not in parsed and b"c@cust.test" not in raw
    assert parsed["Message-ID"] and parsed["Date"]
    kinds = [part.get_content_type() for part in parsed.walk()]
    assert kinds == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html",
                     "text/plain"]
    attachment = next(parsed.iter_attachments())
    assert attachment.get_filename() == "a.txt"
    assert attachment.get_content() == "attached text"


def test_html_only_and_empty_bodies() -> None:
    html = message_from_bytes(compose(request(html="<b>hi</b>")), policy=default)
    assert html.get_content_type() == "text/html"
    empty = message_from_bytes(compose(request()), policy=default)
    assert empty.get_content_type() == "text/plain"


def test_envelope_is_from_and_every_recipient_including_bcc() -> None:
    described = request(to=["a@x.test"], cc=["b@x.test"], bcc=["c@x.test"])
    assert json_envelope(described) == ("care@example.com", ["a@x.test", "b@x.test", "c@x.test"])


def test_invalid_base64_is_a_bad_request() -> None:
    attachment = AttachmentIn.model_construct(filename="a", content_type="a/b",
                                              content_base64="@@@")
    described = CheckRequest.model_construct(
        from_="care@example.com", to=[], cc=[], bcc=[], reply_to=[], subject="", text="x",
        html=None, attachments=[attachment],
    )
    with pytest.raises(BadRequest, match=r"attachments\.1"):
        compose(described)


@pytest.mark.parametrize("hostile", [
    "\u00bf\ud85e\udfd4\u00e6", "a\x00b\x1fc", "x, y, " + "\u00e9" * 400, "Group: a@b;, c",
    "\udbe4\udeeb", "=?utf-8?q?broken", '"unterminated <a@b',
])
def test_hostile_header_values_still_compose(hostile: str) -> None:
    raw = compose(request(reply_to=[hostile], subject=hostile, text=hostile))
    assert raw.startswith(b"From: ") or b"\r\nFrom: " in raw
    assert b"\x00" not in raw.split(b"\r\n\r\n", 1)[0]


def test_clean_header_drops_controls_and_lone_surrogates() -> None:
    assert clean_header("a\x00b\r\nc\td\ud800e") == "abc\tde"
