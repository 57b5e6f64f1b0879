"""Invitation mails from a template, one customer per message; sent upstream or exported.

The template gets the customer's link, its expiry and the company name, nothing
else: no name, no order, no personal data. Each message has exactly one
recipient (To), so no customer ever sees another's address or link.
"""

from __future__ import annotations

import csv
import io
import os
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Protocol

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template

from crossguard.core.hostport import HostPort
from crossguard.errors import ConfigError, StoreError
from crossguard.verify.campaigns import Link
from crossguard.verify.settings import VerifySettings

TEMPLATES = Path(__file__).parent / "templates"


class Upstream(Protocol):
    """The upstream MTA invitations go to (the gateway's section has these fields)."""

    @property
    def upstream(self) -> HostPort: ...

    @property
    def upstream_tls(self) -> str: ...

    @property
    def upstream_timeout_seconds(self) -> float: ...


@dataclass(frozen=True, slots=True)
class Invitee:
    """A customer to invite: the id the link is bound to and the address to mail."""

    customer_id: str
    email: str


def template(settings: VerifySettings) -> Template:
    """The invitation template: the configured file, else the built-in one."""
    path = settings.invitation_template or TEMPLATES / "invitation.txt.j2"
    environment = Environment(loader=FileSystemLoader(path.parent), autoescape=False,
                              undefined=StrictUndefined, keep_trailing_newline=True)
    try:
        return environment.get_template(path.name)
    except Exception as error:
        raise ConfigError(f"verify.invitation_template: cannot load ({type(error).__name__})"
                          ) from None


def _public_url(settings: VerifySettings) -> str:
    if not settings.public_url:
        raise ConfigError("verify.public_url is not set: links need the page's address")
    return settings.public_url


def message(settings: VerifySettings, invitee: Invitee, link: Link, body: Template) -> EmailMessage:
    """One invitation for one customer."""
    if not settings.mail_from:
        raise ConfigError("verify.mail_from is not set: invitations need a From address")
    mail = EmailMessage()
    mail["From"] = settings.mail_from
    mail["To"] = invitee.email
    mail["Subject"] = settings.mail_subject
    mail["Message-ID"] = make_msgid(domain=settings.mail_from.rpartition("@")[2] or None)
    expires = datetime.fromtimestamp(link.expires_at, UTC).strftime("%d %B %Y, %H:%M UTC")
    mail.set_content(body.render(link=link.url(_public_url(settings)), expires=expires,
                                 company=settings.company))
    return mail


def pairs(invitees: Sequence[Invitee], made: Sequence[Link]) -> list[tuple[Invitee, Link]]:
    """Each link with the invitee of its customer."""
    by_customer = {invitee.customer_id: invitee for invitee in invitees}
    return [(by_customer[link.customer_id], link) for link in made]


def send(settings: VerifySettings, gateway: Upstream, invitees: Sequence[Invitee],
         made: Sequence[Link]) -> tuple[int, list[str]]:
    """Send one invitation per customer upstream: how many went, and whose the MTA refused.

    A refused recipient is reported and the rest go on; losing the upstream MTA stops
    the run with a StoreError saying how many were sent.
    """
    body = template(settings)
    sent, refused = 0, []
    try:
        with smtplib.SMTP(gateway.upstream.host, gateway.upstream.port,
                          timeout=gateway.upstream_timeout_seconds) as smtp:
            policy = gateway.upstream_tls
            smtp.ehlo()
            if policy != "none" and (policy != "opportunistic" or smtp.has_extn("starttls")):
                smtp.starttls(context=_tls_context(policy))
            for invitee, link in pairs(invitees, made):
                try:
                    smtp.send_message(message(settings, invitee, link, body),
                                      to_addrs=[invitee.email])
                except smtplib.SMTPRecipientsRefused:
                    refused.append(invitee.customer_id)
                    smtp.rset()
                else:
                    sent += 1
    except (OSError, smtplib.SMTPException) as error:
        raise StoreError(f"sending invitations failed after {sent} ({type(error).__name__})"
                         ) from None
    return sent, refused


def export(settings: VerifySettings, invitees: Sequence[Invitee], made: Sequence[Link],
           path: Path) -> int:
    """Write customer_id, email, link, expires for a mail merge (a new file, mode 0600)."""
    public_url = _public_url(settings)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["customer_id", "email", "link", "expires"])
    for invitee, link in pairs(invitees, made):
        expires = datetime.fromtimestamp(link.expires_at, UTC).isoformat(timespec="seconds")
        writer.writerow([invitee.customer_id, invitee.email, link.url(public_url), expires])
    write_private(path, buffer.getvalue().encode("utf-8"))
    return len(made)


def write_private(path: Path, data: bytes) -> None:
    """Create ``path`` (never overwrite) with mode 0600."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise ConfigError(f"{path}: exists already (links are written to a new file)") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot write ({error.strerror})") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _tls_context(policy: str) -> ssl.SSLContext:
    """``verified`` checks the certificate and host name; the other policies only encrypt."""
    context = ssl.create_default_context()
    if policy != "verified":
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context
