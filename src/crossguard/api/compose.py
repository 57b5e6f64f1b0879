"""Assemble a JSON check request into a MIME message with the standard library."""

from __future__ import annotations

import binascii
from email.errors import MessageError
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid

from crossguard.api.errors import BadRequest
from crossguard.api.schemas import CheckRequest


def _clean(value: str, field: str) -> str:
    """A header value without line breaks (no header injection)."""
    if "\r" in value or "\n" in value:
        raise BadRequest(f"{field}: line breaks are not allowed in header values")
    return value


def compose(request: CheckRequest) -> bytes:
    """The request as RFC 5322 bytes: headers, text/html alternatives, attachments."""
    try:
        return _build(request).as_bytes(policy=SMTP)
    except BadRequest:
        raise
    except (ValueError, TypeError, LookupError, AttributeError, MessageError):
        # the standard library's header parser raises these on hostile input
        raise BadRequest("the message cannot be assembled from these fields") from None


def _build(request: CheckRequest) -> EmailMessage:
    message = EmailMessage()
    message["From"] = _clean(request.from_, "from")
    for header, values in (("To", request.to), ("Cc", request.cc),
                           ("Reply-To", request.reply_to)):
        if values:
            message[header] = ", ".join(_clean(value, header.lower()) for value in values)
    message["Subject"] = _clean(request.subject, "subject")
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="crossguard.invalid")
    if request.text is not None or request.html is None:
        message.set_content(request.text or "")
        if request.html is not None:
            message.add_alternative(request.html, subtype="html")
    else:
        message.set_content(request.html, subtype="html")
    for number, attachment in enumerate(request.attachments, start=1):
        try:
            data = binascii.a2b_base64(attachment.content_base64.encode("ascii"), strict_mode=True)
        except (binascii.Error, UnicodeEncodeError, ValueError):
            raise BadRequest(f"attachments.{number}: content_base64 is not valid base64") from None
        maintype, _, subtype = attachment.content_type.partition("/")
        if not maintype or not subtype or "/" in subtype:
            maintype, subtype = "application", "octet-stream"
        message.add_attachment(data, maintype=maintype.strip(), subtype=subtype.strip(),
                               filename=_clean(attachment.filename, "filename"))
    return message


def envelope(request: CheckRequest) -> tuple[str, list[str]]:
    """The envelope implied by the request: From, and To + Cc + Bcc."""
    return request.from_, [*request.to, *request.cc, *request.bcc]
