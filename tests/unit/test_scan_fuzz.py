"""Hypothesis: Guard.check and Guard.redact never fail on a MIME tree, however its
parameters are written.

Random trees of text, HTML, binary, nested-message and multipart parts whose
Content-Type and Content-Disposition parameters mix plain, quoted and RFC 2231
forms (``x*``, ``x*0*``, ``x*1``), odd charsets and transfer encodings, and raw
8-bit bytes in a type. Before it, both failed: the stdlib's parser on
``charset*`` beside ``charset*0*`` or such a boundary (TypeError), its
re-encoding of parts in the redaction (LookupError, UnicodeEncodeError,
TypeError), and bulk_send's template key on the raw byte (UnicodeEncodeError). Top-level
header fields, free-text and structured, hold identifiers too: redact masks the former.
A check gives a verdict; a redaction gives a copy that checks clean, or a
PolicyError (the gateway then holds the message).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crossguard.config import Settings
from crossguard.errors import MessageParseError, PolicyError
from crossguard.scan import Guard

GUARD = Guard.from_settings(Settings.model_validate({"policy": {
    "company_domains": ["example.com"],
    "rules": {"unattributed_sensitive": {"action": "redact"}},
}}))
_VALUES = st.sampled_from(["utf-8", "x-klingon", "utf-16", '"a;b"', "''", "utf-8''%FF",
                           "us-ascii'en'%41", "", '""', "\\", 'a"b', "=?utf-8?b?w6Q=?=",
                           "caf\xe9"])
_FORMS = st.sampled_from(["{n}={v}", "{n}*={v}", "{n}*0*={v}", "{n}*0={v}", "{n}*1={v}",
                          "{n}*1*={v}"])
_PARAMETER = st.builds(lambda form, name, value: "; " + form.format(n=name, v=value), _FORMS,
                       st.sampled_from(["charset", "name", "filename", "boundary", "format"]),
                       _VALUES)
#: "\udc91": a raw 8-bit byte once encoded (the parser escapes it back to a surrogate).
_LEAF_TYPES = st.sampled_from(["text/plain", "text/html", "application/pdf",
                               "application/octet-stream", "text/rfc822-headers", "image/png",
                               "application/x-\udc91"])
_BODIES = st.sampled_from(["SSN 536-22-1947 and card 4111 1111 1111 1111\r\n",
                           "caf\xe9 4111-1111-1111-1111\r\n", "<p>SSN 536-22-1947</p>",
                           "aGVsbG8=\r\n", "=ZZ\r\n"])


@st.composite
def _part(draw: st.DrawFn, depth: int = 0) -> str:
    """One MIME part (headers, blank line, body), nested up to three levels."""
    kind = draw(st.sampled_from(["leaf", "leaf", "multipart", "message"]) if depth < 3
                else st.just("leaf"))
    parameters = "".join(draw(st.lists(_PARAMETER, max_size=3)))
    if kind == "multipart":
        boundary = f"b{depth}"
        written = draw(st.sampled_from(["boundary={b}", 'boundary="{b}"', "boundary*={b}",
                                        "boundary*=x; boundary*0*={b}"])).format(b=boundary)
        head = f"Content-Type: multipart/mixed; {written}{parameters}"
        children = draw(st.lists(_part(depth + 1), max_size=3))
        body = "".join(f"--{boundary}\r\n{child}\r\n" for child in children)
        body += f"--{boundary}--\r\n"
    elif kind == "message":
        head = f"Content-Type: message/rfc822{parameters}"
        body = "Subject: inner SSN 536-22-1947\r\n" + draw(_part(depth + 1))
    else:
        head = f"Content-Type: {draw(_LEAF_TYPES)}{parameters}"
        body = draw(_BODIES)
    if draw(st.booleans()):
        disposition = draw(st.sampled_from(["attachment", "inline"]))
        filename = draw(_PARAMETER.filter(lambda text: "filename" in text) | st.just(""))
        head += f"\r\nContent-Disposition: {disposition}{filename}"
    encoding = draw(st.sampled_from(["", "base64", "quoted-printable", "8bit", "x-uuencode"]))
    if encoding:
        head += f"\r\nContent-Transfer-Encoding: {encoding}"
    return f"{head}\r\n\r\n{body}"


#: Free-text fields (masked in place by redact) and structured ones (left, then held),
#: holding identifiers plainly, RFC 2047-encoded (well or badly), folded, or by a raw byte.
_FIELD_NAMES = st.sampled_from(["Subject", "X-Note", "Received", "Comments", "Keywords",
                                "Reply-To", "References", "Date", "X-\udc91"])
_FIELD_VALUES = st.sampled_from([
    "Hello", "SSN 536-22-1947", "card 4111 1111 1111 1111", "=?utf-8?b?U1NOIDUzNi0yMi0xOTQ3?=",
    "=?utf-8?q?caf=C3=A9_4111-1111-1111-1111?=", "=?x-klingon?q?536-22-1947?=",
    "=?utf-8?b?!!?= 536-22-1947", "from a\r\n by b; SSN\r\n 536-22-1947",
    "caf\xe9 \udc91 4111 1111 1111 1111", '"SSN 536-22-1947" <a@example.net>', ""])
_FIELDS = st.lists(st.builds("{}: {}\r\n".format, _FIELD_NAMES, _FIELD_VALUES), max_size=4)


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(_FIELDS, _part())
def test_check_and_redact_never_fail_on_a_mime_tree(fields: list[str], tree: str) -> None:
    raw = ("From: care@example.com\r\nTo: x@example.net\r\n" + "".join(fields)
           + tree).encode("utf-8", "surrogateescape")
    try:
        verdict = GUARD.check(raw, mail_from="care@example.com", rcpts=["x@example.net"])
    except MessageParseError:
        return
    assert verdict.action in {"allow", "redact", "quarantine", "reject"}
    if verdict.action == "redact":
        try:
            copy = GUARD.redact(raw, verdict)
        except PolicyError:
            return
        rescanned = GUARD.check(copy, mail_from="care@example.com", rcpts=["x@example.net"])
        assert rescanned.findings == []
