"""Assemble a JSON check request into a MIME message with the standard library.

Header values lose control characters and unpaired surrogates (JSON can carry
both); when the standard library's header folding still refuses a value, the
message is rebuilt with every header as an RFC 2047 encoded word.
"""

from __future__ import annotations

import binascii
import unicodedata
from email.errors import MessageError
from email.header import Header
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid

from crossguard.api.schemas import AttachmentIn, CheckRequest
from crossguard.service.errors import BadRequest

#: What the standard library's header parser and folder raise on hostile input.
_EMAIL_ERRORS = (ValueError, TypeError, LookupError, AttributeError, MessageError)


def clean_header(value: str) -> str:
    """A header value without line breaks, other control characters or lone surrogates."""
    return "".join(ch for ch in value if ch == "\t" or unicodedata.category(ch) not in
                   ("Cc", "Cs"))


def clean_text(value: str) -> str:
    """Body text that encodes as UTF-8 (unpaired surrogates become U+FFFD)."""
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def compose(request: CheckRequest) -> bytes:
    """The request as RFC 5322 bytes: headers, text/html alternatives, attachments."""
    attachments = [(attachment, _decode(number, attachment))
                   for number, attachment in enumerate(request.attachments, start=1)]
    for encoded in (False, True):
        try:
            return _build(request, attachments, encoded).as_bytes(policy=SMTP)
        except _EMAIL_ERRORS:
            continue
    raise BadRequest("the message cannot be assembled from these fields")


def _decode(number: int, attachment: AttachmentIn) -> bytes:
    try:
        return binascii.a2b_base64(attachment.content_base64.encode("ascii"), strict_mode=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise BadRequest(f"attachments.{number}: content_base64 is not valid base64") from None


def _build(request: CheckRequest, attachments: list[tuple[AttachmentIn, bytes]],
           encoded: bool) -> EmailMessage:
    message = EmailMessage()

    def put(name: str, value: str) -> None:
        value = clean_header(value)
        message[name] = Header(value, "utf-8").encode(maxlinelen=0) if encoded else value

    put("From", request.from_)
    for header, values in (("To", request.to), ("Cc", request.cc),
                           ("Reply-To", request.reply_to)):
        if values:
            put(header, ", ".join(values))
    put("Subject", request.subject)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="crossguard.invalid")
    if request.text is not None or request.html is None:
        message.set_content(clean_text(request.text or ""))
        if request.html is not None:
            message.add_alternative(clean_text(request.html), subtype="html")
    else:
        message.set_content(clean_text(request.html), subtype="html")
    for attachment, data in attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        filename = clean_header(attachment.filename) or "attachment"
        message.add_attachment(data, maintype=maintype or "application",
                               subtype=subtype or "octet-stream",
                               filename=Header(filename, "utf-8").encode(maxlinelen=0) if encoded
                               else filename)
    return message

