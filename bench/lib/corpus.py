"""The seeded customer-care corpus every engine reads: raw messages of 1-6 KB.

Customers come from ``crossguard.synth``; bodies mix order talk, quoted
history, signatures and some of the customer's identifiers (phone, e-mail,
card, address, licence, SSN, date of birth), as a help desk's outbound mail
does. Written once to a JSON file (a list of raw RFC 5322 messages as
strings) that crossguard and Presidio both read.
"""

from __future__ import annotations

import json
import random
from email.message import EmailMessage
from pathlib import Path

from faker import Faker

from crossguard.synth.customers import Customer, generate_customers

AGENT = "care.team@example.com"
PII_LINES = (
    "You can reach me on {phone} after 5pm.",
    "Please use my other address {email} for the invoice.",
    "The card I used was {card}.",
    "Ship it to {address} instead please.",
    "My date of birth is {dob} if you need it for verification.",
    "Driver's license number: {licence}",
    "SSN {ssn} as requested.",
    "Your order {order} has been dispatched to {address}.",
)


def _pii(rng: random.Random, customer: Customer) -> str:
    return rng.choice(PII_LINES).format(
        phone=customer.phone, email=customer.email, card=customer.card,
        address=customer.address, dob=customer.dob, licence=customer.driver_licence,
        ssn=customer.national_id, order=rng.choice(customer.order_ids),
    )


def body(fake: Faker, rng: random.Random, customer: Customer) -> str:
    """One reply body of 1-6 KB about ``customer``."""
    target = rng.randint(1000, 6000)
    lines = [f"Dear {customer.first_name},", ""]
    while sum(len(line) + 1 for line in lines) < target - 300:
        roll = rng.random()
        if roll < 0.2:
            lines.append(_pii(rng, customer))
        elif roll < 0.35:
            lines.append(f"On {fake.date_time_this_year():%a, %d %b %Y at %H:%M}, you wrote:")
            lines.extend(f"> {line}" for line in fake.paragraph(nb_sentences=4).split(". "))
        else:
            lines.append(fake.paragraph(nb_sentences=rng.randint(2, 6)))
        lines.append("")
    lines += ["Kind regards,", fake.name(), "Customer Care, Example Corp", "+1 (212) 555-0100"]
    return "\n".join(lines)


def messages(count: int, seed: int, customers: list[Customer]) -> list[str]:
    """``count`` raw messages, each to one of ``customers``."""
    fake = Faker("en_US")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    out = []
    for number in range(count):
        customer = rng.choice(customers)
        message = EmailMessage()
        message["From"] = f"Customer Care <{AGENT}>"
        message["To"] = customer.email
        message["Subject"] = f"Re: your order {customer.order_ids[0]}"
        message["Message-ID"] = f"<bench-{seed}-{number}@example.com>"
        message.set_content(body(fake, rng, customer))
        out.append(message.as_bytes().decode("utf-8"))
    return out


def write_corpus(path: Path, count: int, seed: int, customer_count: int) -> list[Customer]:
    """Write the corpus to ``path`` (unless already there); returns its customers."""
    customers = generate_customers(customer_count, seed=seed)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(messages(count, seed, customers)), encoding="utf-8")
    return customers
