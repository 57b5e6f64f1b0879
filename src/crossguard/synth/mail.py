"""Customer-care mail built from generated customers: the incident and ordinary traffic.

Every builder returns an :class:`Outbound`: the raw bytes plus the SMTP
envelope they would travel with, so the same mail can be replayed through the
library, the gateway or an archive.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from hashlib import blake2b

from crossguard.synth.customers import Customer

COMPANY_DOMAIN = "example.com"
SUPPORT_LIST = f"preorder-support@{COMPANY_DOMAIN}"
AGENT = f"care.team@{COMPANY_DOMAIN}"
EPOCH = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

CAMPAIGN_TEXT = """Hello,

Thank you for pre-ordering the new phone. Before we can ship your order we
need to verify your purchase. Please reply to this email with a photo of your
driver's licence or passport, your full shipping address and a phone number
where we can reach you.

Kind regards,
Customer Care
"""


@dataclass(frozen=True, slots=True)
class Outbound:
    """A message as it leaves a sender: bytes and SMTP envelope."""

    raw: bytes
    mail_from: str
    rcpts: tuple[str, ...]
    label: str = ""


def _message(
    sender: str, to: Sequence[str], subject: str, body: str, when: datetime, **headers: str
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message["Date"] = format_datetime(when)
    digest = blake2b(f"{sender}|{to}|{subject}|{when}|{body}".encode(), digest_size=10)
    message["Message-ID"] = f"<{digest.hexdigest()}@{sender.rpartition('@')[2]}>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


def campaign(customers: Sequence[Customer], *, visible: bool, when: datetime = EPOCH) -> Outbound:
    """The verification campaign, sent from the support list with replies going to the list.

    ``visible`` puts every customer in To (the exposure mistake); otherwise
    they are Bcc (envelope only).
    """
    addresses = [customer.email for customer in customers]
    to = addresses if visible else [SUPPORT_LIST]
    message = _message(
        SUPPORT_LIST,
        to,
        "Action needed: verify your pre-order",
        CAMPAIGN_TEXT,
        when,
        Reply_To=SUPPORT_LIST,
    )
    label = "campaign, customers visible in To" if visible else "campaign, customers in Bcc"
    return Outbound(message.as_bytes(), SUPPORT_LIST, tuple(addresses), label)


def customer_reply(
    customer: Customer, *, to: str = SUPPORT_LIST, when: datetime = EPOCH, seed: int = 0,
    licence_photo: bytes | None = None,
) -> EmailMessage:
    """A customer answering the campaign with licence number (or a photo of it), address, phone."""
    rng = random.Random(seed)
    greeting = rng.choice(["Hi,", "Hello,", "Good morning,", "Hi there,"])
    licence = (
        "Photo of my driver's licence attached.\n" if licence_photo
        else f"Driver's licence number: {customer.driver_licence}\n"
    )
    body = (
        f"{greeting}\n\nHere are my details for the verification.\n\n"
        f"Name: {customer.name}\n"
        f"{licence}"
        f"Address: {customer.street}\n{customer.city}, {customer.state} {customer.postcode}\n"
        f"Phone: {customer.phone}\n\n"
        f"Thanks,\n{customer.first_name}\n\n"
        f"On {format_datetime(EPOCH)}, Customer Care <{SUPPORT_LIST}> wrote:\n"
        + "".join(f"> {line}\n" for line in CAMPAIGN_TEXT.splitlines())
    )
    message = _message(customer.email, [to], "Re: Action needed: verify your pre-order", body,
                       when)
    if licence_photo:
        message.add_attachment(licence_photo, maintype="image", subtype="jpeg",
                               filename="licence.jpg")
    return message


def redistributed(reply: EmailMessage, members: Sequence[Customer]) -> Outbound:
    """What the misconfigured list does with a reply: resend it to every other member."""
    author = reply["From"]
    rcpts = tuple(member.email for member in members if member.email != author)
    copy = deepcopy(reply)
    copy["Sender"] = f"preorder-support-bounces@{COMPANY_DOMAIN}"
    copy["List-Id"] = f"<preorder-support.{COMPANY_DOMAIN}>"
    bounce = f"preorder-support-bounces@{COMPANY_DOMAIN}"
    return Outbound(copy.as_bytes(), bounce, rcpts, "list redistributes a customer's reply")


def support_reply(customer: Customer, *, when: datetime = EPOCH, seed: int = 0) -> Outbound:
    """An agent's one-to-one answer to a customer, quoting that customer's own data."""
    rng = random.Random(seed)
    order = rng.choice(customer.order_ids)
    body = (
        f"Dear {customer.first_name},\n\n"
        f"Thank you, your order {order} is verified and will ship to\n"
        f"{customer.street}, {customer.city}, {customer.state} {customer.postcode}.\n"
        f"The courier will call you on {customer.phone} before delivery.\n\n"
        f"Best regards,\nSam Rivera\nCustomer Care, Example Corp\n+1 (212) 555-0100\n"
    )
    message = _message(
        AGENT,
        [customer.email],
        f"Your order {order}",
        body,
        when + timedelta(hours=rng.randint(1, 48)),
    )
    return Outbound(message.as_bytes(), AGENT, (customer.email,), "one-to-one support reply")


def customer_to_support(customer: Customer, *, when: datetime = EPOCH, seed: int = 0) -> Outbound:
    """A customer's reply delivered to the support team only (a correctly configured list)."""
    reply = customer_reply(customer, to=AGENT, when=when, seed=seed)
    return Outbound(reply.as_bytes(), customer.email, (AGENT,), "customer reply to support")
