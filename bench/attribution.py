"""Cross-customer recall and false-hold rate on a seeded evaluation set.

Half of the messages are legitimate (an agent writing to a customer about that
customer's own data, with staff signatures and product text); half leak
another customer's data through one identifier kind, in a realistic variant
(phone formats, case, accents, middle initials, line-wrapped addresses, card
numbers with spaces, quoted replies). Prints recall and false-hold rate per
kind; writes bench/results/attribution.json.

    .venv/bin/python bench/attribution.py [--messages 5000] [--quick]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

from faker import Faker
from lib.results import write_result

from crossguard.config import settings_from_dict
from crossguard.core.private import write_private
from crossguard.index.build import build_index
from crossguard.index.customer_input import read_customers
from crossguard.scan import Guard
from crossguard.synth.customers import Customer, generate_customers, write_customers_csv

KEY_HEX = "be" * 32
PRODUCT = ("The X200 ships with a 65 W charger and a two-year warranty. Firmware 4.2 "
           "improves battery life. Visit the store for accessories.")
SIGNATURE = "Best regards,\nSam Rivera\nCustomer Care, Example Corp\n+1 (212) 555-0100\n"


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def phone_variants(c: Customer, rng: random.Random) -> str:
    d = _digits(c.phone)
    return rng.choice([c.phone, f"{d[:3]}.{d[3:6]}.{d[6:]}", f"+1 {d[:3]} {d[3:6]} {d[6:]}",
                       d, f"1-{d[:3]}-{d[3:6]}-{d[6:]}"])


def card_variant(c: Customer, rng: random.Random) -> str:
    groups = [c.card[i:i + 4] for i in range(0, len(c.card), 4)]
    return rng.choice([" ".join(groups), "-".join(groups), c.card])


def name_variant(c: Customer, rng: random.Random) -> str:
    parts = c.name.split()
    choice = rng.randrange(4)
    if choice == 0:
        return c.name.upper()
    if choice == 1:
        return strip_accents(c.name)
    if choice == 2 and len(parts) == 2:
        return f"{parts[0]} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {parts[1]}"
    return c.name


def address_block(c: Customer, rng: random.Random) -> str:
    street = c.street.upper() if rng.random() < 0.3 else c.street
    words = street.split()
    if rng.random() < 0.5 and len(words) > 2:  # line-wrapped in the middle of the street line
        street = " ".join(words[:2]) + "\n" + " ".join(words[2:])
    return f"{street}\n{c.city}, {c.state} {c.postcode}"


def us_date(iso: str) -> str:
    return f"{iso[5:7]}/{iso[8:10]}/{iso[:4]}"


# kind -> how one customer's data of that kind is written
KINDS: dict[str, Callable[[Customer, random.Random], str]] = {
    "EMAIL": lambda c, r: f"their address is {r.choice([c.email, c.email.upper()])}",
    "PHONE": lambda c, r: f"call {phone_variants(c, r)} after 5pm",
    "CARD": lambda c, r: f"the card used was {card_variant(c, r)}",
    "DRIVER_LICENCE": lambda c, r: r.choice(["Driver's licence number: ", "DL# ", "License no. "])
    + r.choice([c.driver_licence, c.driver_licence.lower()]),
    "PASSPORT": lambda c, r: f"passport number {c.passport}",
    "US_SSN": lambda c, r: f"SSN {r.choice([c.national_id, c.national_id.replace('-', ' ')])}",
    "ORDER_ID": lambda c, r: f"regarding order {r.choice(c.order_ids)}",
    "NAME_ADDRESS": lambda c, r: f"ship to:\n{name_variant(c, r)}\n{address_block(c, r)}",
    "NAME_DOB": lambda c, r: f"{name_variant(c, r)}, date of birth {us_date(c.dob)}",
}


def distractors(rng: random.Random, colleague: str) -> str:
    """Numbers and names that are not customer data: tracking ids, prices, dates, staff."""
    return (
        f"Tracking 1Z{rng.randrange(10**15):015d}, invoice INV-{rng.randrange(10**6):06d}, "
        f"total ${rng.randrange(20, 2000)}.{rng.randrange(100):02d}, "
        f"delivery on {rng.randrange(1, 13):02d}/{rng.randrange(1, 29):02d}/2026 "
        f"between {rng.randrange(8, 12)} and {rng.randrange(13, 18)}h. "
        f"My colleague {colleague} will follow up."
    )


def compose(recipient: Customer, data: str, rng: random.Random, quoted: bool,
            colleague: str) -> bytes:
    """An agent's message to ``recipient`` carrying ``data`` (maybe inside a quoted reply)."""
    data = f"{data}.\n{distractors(rng, colleague)}"
    if quoted:
        quoted_data = data.replace("\n", "\n> ")
        inner = f"On Tuesday, a customer wrote:\n> Hello,\n> {quoted_data}"
        body = f"Dear {recipient.first_name},\n\nsee the thread below.\n\n{SIGNATURE}\n{inner}\n"
    else:
        body = f"Dear {recipient.first_name},\n\n{data}.\n\n{PRODUCT}\n\n{SIGNATURE}"
    message = EmailMessage()
    message["From"] = "care@example.com"
    message["To"] = recipient.email
    message["Subject"] = "Your request"
    message["Message-ID"] = f"<{rng.getrandbits(64):x}@example.com>"
    message.set_content(body)
    return message.as_bytes()


def with_accented_names(customers: list[Customer], seed: int) -> list[Customer]:
    """Give every fifth customer a Spanish or French name (accents)."""
    fakers = [Faker("es_ES"), Faker("fr_FR")]
    for number, faker in enumerate(fakers):
        faker.seed_instance(seed + number)
    for position in range(0, len(customers), 5):
        faker = fakers[position % 2]
        customers[position].name = f"{faker.first_name()} {faker.last_name()}"
    return customers


def run(messages: int, seed: int) -> dict[str, object]:
    rng = random.Random(seed)
    customers = with_accented_names(generate_customers(2_000, seed), seed)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        key_file = folder / "key"
        write_private(key_file, KEY_HEX)
        table = write_customers_csv(customers, folder / "customers.csv")
        # One shared care address answers thousands of customers here: bulk_send (a
        # per-sender volume limit) would hold the excess, which is not what is measured.
        settings = settings_from_dict({
            "key_file": str(key_file), "index": {"path": str(folder / "ix")},
            "policy": {"company_domains": ["example.com"],
                       "rules": {"bulk_send": {"enabled": False}}},
        })
        build_index(read_customers(table), folder / "ix", settings.secret_key())
        guard = Guard.from_settings(settings)
        counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        latencies = []
        false_rules: dict[str, int] = defaultdict(int)
        for number in range(messages):
            kind = list(KINDS)[number % len(KINDS)]
            leaking = number % 2 == 1
            recipient, owner = rng.sample(customers, 2)
            subject = owner if leaking else recipient
            quoted = rng.random() < 0.2
            colleague = rng.choice(customers).first_name  # a first name shared with customers
            raw = compose(recipient, KINDS[kind](subject, rng), rng, quoted, colleague)
            started = time.perf_counter()
            verdict = guard.check(raw, mail_from="care@example.com", rcpts=[recipient.email])
            latencies.append(time.perf_counter() - started)
            row = counts[kind]
            if leaking:
                row["leaks"] += 1
                caught = any(rule.rule == "cross_customer" and owner.customer_id in rule.customers
                             for rule in verdict.rules)
                row["caught"] += caught
            else:
                row["legit"] += 1
                row["false_holds"] += verdict.held
                for rule in verdict.rules:
                    false_rules[rule.rule] += 1
    latencies.sort()
    per_kind = {
        kind: {
            "leaks": row["leaks"], "recall": row["caught"] / max(row["leaks"], 1),
            "legit": row["legit"], "false_hold_rate": row["false_holds"] / max(row["legit"], 1),
        }
        for kind, row in counts.items()
    }
    leaks = sum(row["leaks"] for row in counts.values())
    legit = sum(row["legit"] for row in counts.values())
    return {
        "messages": messages,
        "customers": len(customers),
        "recall": sum(row["caught"] for row in counts.values()) / leaks,
        "false_hold_rate": sum(row["false_holds"] for row in counts.values()) / legit,
        "p50_ms": latencies[len(latencies) // 2] * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99)] * 1000,
        "per_kind": per_kind,
        "rules_on_legitimate": dict(false_rules),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--quick", action="store_true", help="1,000 messages")
    args = parser.parse_args()
    result = run(1_000 if args.quick else args.messages, args.seed)
    print(f"{'kind':<16}{'leaks':>7}{'recall':>9}{'legit':>7}{'false holds':>13}")
    for kind, row in sorted(result["per_kind"].items()):  # type: ignore[attr-defined]
        print(f"{kind:<16}{row['leaks']:>7}{row['recall']:>9.2%}{row['legit']:>7}"
              f"{row['false_hold_rate']:>13.2%}")
    print(f"{'all':<16}{'':>7}{result['recall']:>9.2%}{'':>7}{result['false_hold_rate']:>13.2%}")
    print(f"rules fired on legitimate mail: {result['rules_on_legitimate'] or 'none'}")
    print(f"{result['messages']} messages, {result['customers']} customers, "
          f"check p50 {result['p50_ms']:.2f} ms, p99 {result['p99_ms']:.2f} ms")
    write_result("attribution", result, quick=args.quick)


if __name__ == "__main__":
    main()
