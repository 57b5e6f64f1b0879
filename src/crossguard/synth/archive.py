"""The incident archive: a seeded mbox of the support-list leak among ordinary traffic.

The archive holds the verification campaign (customers in Bcc), the 70
customer replies to the support list, the list's redistributed copies of each
reply addressed to the other members (in To, Cc or a kept Bcc header, so the
recipients are known from the archive alone), and ordinary mail: one-to-one
support answers quoting the customer's own data, customers writing to the
support team, internal escalations, and newsletters without personal data.
:class:`GroundTruth` says exactly whose data reached whom.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from hashlib import blake2b
from pathlib import Path

from crossguard.core.private import open_private
from crossguard.synth import mail
from crossguard.synth.customers import Customer, pick

CAMPAIGN_SIZE = 200
REPLIES = 70
ARCHIVE_MESSAGES = 10_000
NEWSLETTER = f"news@{mail.COMPANY_DOMAIN}"
COLLEAGUE = f"escalations@{mail.COMPANY_DOMAIN}"
LIST_BOUNCES = f"preorder-support-bounces@{mail.COMPANY_DOMAIN}"
#: Ordinary traffic spans the four weeks around the campaign.
TRAFFIC_START = mail.EPOCH - timedelta(days=14)
TRAFFIC_MINUTES = 28 * 24 * 60
_FROM_LINE = re.compile(rb"^(>*From )", re.MULTILINE)
_ADDRESSING = ("To", "Cc", "Bcc")


@dataclass(frozen=True, slots=True)
class GroundTruth:
    """Whose data the list redistributed, and to exactly which addresses."""

    affected: dict[str, tuple[str, ...]]

    @property
    def customer_ids(self) -> list[str]:
        return sorted(self.affected)


def incident_messages(customers: Sequence[Customer]) -> tuple[list[tuple[datetime, bytes]],
                                                             GroundTruth]:
    """The campaign, the replies and the list's copies, with the ground truth."""
    members = list(customers[:CAMPAIGN_SIZE])
    repliers = pick(members, REPLIES, seed=11)
    campaign = mail.campaign(members, visible=False)
    campaign_copy = _with_bcc(campaign.raw, [member.email for member in members])
    messages = [(mail.EPOCH, campaign_copy)]
    affected: dict[str, tuple[str, ...]] = {}
    for number, customer in enumerate(repliers):
        when = mail.EPOCH + timedelta(hours=2, minutes=41 * number)
        reply = mail.customer_reply(customer, when=when, seed=number)
        messages.append((when, reply.as_bytes()))
        others = [member.email for member in members if member.email != customer.email]
        copy_when = when + timedelta(minutes=1)
        messages.append((copy_when, _redistribute(reply, others, _ADDRESSING[number % 3],
                                                  copy_when)))
        affected[customer.customer_id] = tuple(sorted(address.lower() for address in others))
    return messages, GroundTruth(affected)


def ordinary_messages(customers: Sequence[Customer], count: int,
                      seed: int) -> list[tuple[datetime, bytes]]:
    """``count`` messages of everyday traffic that expose nobody."""
    rng = random.Random(seed)
    messages = []
    for number in range(count):
        customer = rng.choice(customers)
        when = TRAFFIC_START + timedelta(minutes=rng.randrange(TRAFFIC_MINUTES))
        roll = rng.random()
        if roll < 0.45:
            raw = mail.support_reply(customer, when=when, seed=number).raw
        elif roll < 0.65:
            raw = mail.customer_to_support(customer, when=when, seed=number).raw
        elif roll < 0.80:
            raw = _escalation(customer, when, number)
        else:
            raw = _newsletter(customer, when, number)
        messages.append((when, raw))
    return messages


def write_archive(path: Path, customers: Sequence[Customer], *,
                  messages: int = ARCHIVE_MESSAGES, seed: int = 7) -> GroundTruth:
    """Write the seeded incident mbox of ``messages`` messages at ``path``."""
    incident, truth = incident_messages(customers)
    if messages < len(incident):
        raise ValueError(f"the archive needs at least {len(incident)} messages")
    everything = incident + ordinary_messages(customers, messages - len(incident), seed)
    everything.sort(key=lambda item: item[0])
    with open_private(path, "wb") as handle:
        for when, raw in everything:
            handle.write(mbox_entry(raw, when))
    return truth


def mbox_entry(raw: bytes, when: datetime) -> bytes:
    """One mboxrd entry: the From_ line, the escaped message, a blank line."""
    stamp = when.strftime("%a %b %d %H:%M:%S %Y").encode()
    body = _FROM_LINE.sub(rb">\1", raw.replace(b"\r\n", b"\n"))
    if not body.endswith(b"\n"):
        body += b"\n"
    return b"From MAILER-DAEMON " + stamp + b"\n" + body + b"\n"


def _with_bcc(raw: bytes, bcc: Sequence[str]) -> bytes:
    """The sender's archived copy keeps its Bcc header."""
    return _edit_headers(raw, (), [("Bcc", _address_list(bcc))])


def _redistribute(reply: EmailMessage, others: Sequence[str], field: str,
                  when: datetime) -> bytes:
    """The list's copy of a reply, addressed to the other members in ``field``.

    Headers are written as text: ``email``'s header registry takes a quarter
    of a second to parse a 199-address list.
    """
    added = [("Date", format_datetime(when)),
             ("To", _address_list(others) if field == "To" else mail.SUPPORT_LIST)]
    if field != "To":
        added.append((field, _address_list(others)))
    added += [("Sender", LIST_BOUNCES), ("List-Id", f"<preorder-support.{mail.COMPANY_DOMAIN}>")]
    return _edit_headers(reply.as_bytes(), ("to", "date"), added)


def _edit_headers(raw: bytes, drop: Sequence[str], add: Sequence[tuple[str, str]]) -> bytes:
    """``raw`` without the header fields in ``drop``, with ``add`` appended to the header."""
    head, _, body = raw.partition(b"\n\n")
    kept: list[bytes] = []
    skipping = False
    for line in head.split(b"\n"):
        if line[:1] in (b" ", b"\t"):
            if not skipping:
                kept.append(line)
            continue
        name = line.partition(b":")[0].decode("ascii", "replace").strip().lower()
        skipping = name in drop
        if not skipping:
            kept.append(line)
    kept += [f"{name}: {value}".encode() for name, value in add]
    return b"\n".join(kept) + b"\n\n" + body


def _address_list(addresses: Sequence[str]) -> str:
    """A folded address list, one address per line."""
    return ",\n ".join(addresses)


def _compose(sender: str, to: str, subject: str, body: str, when: datetime) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(when)
    digest = blake2b(f"{sender}|{to}|{subject}|{when}".encode(), digest_size=10).hexdigest()
    message["Message-ID"] = f"<{digest}@{sender.rpartition('@')[2]}>"
    message.set_content(body)
    return message.as_bytes()


def _escalation(customer: Customer, when: datetime, number: int) -> bytes:
    """Internal mail about a customer: their data stays inside the company."""
    body = (
        f"Escalating case {number}: {customer.name} asked about delivery.\n"
        f"Call back on {customer.phone}; order {customer.order_ids[0]}.\n\n"
        "Thanks,\nSam\n"
    )
    return _compose(mail.AGENT, COLLEAGUE, f"Escalation {number}", body, when)


def _newsletter(customer: Customer, when: datetime, number: int) -> bytes:
    """A newsletter: sent to a customer, carrying nobody's personal data."""
    body = (
        "Hello,\n\nOur spring accessories are here: cases, chargers and screen "
        "protectors for the new phone.\n\nUnsubscribe at any time from your account page.\n"
    )
    return _compose(NEWSLETTER, customer.email, f"Spring news #{number % 12}", body, when)
