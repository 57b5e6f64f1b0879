"""A care desk's ordinary day through the default configuration: false holds, leaks, a campaign.

25 agents answer customers from one shared care address and their own
addresses: one-to-one replies over 8 simulated hours (the clock is injected),
quoting each customer's own order ids, marketplace order numbers, IMEI and
serial number, tracking numbers, address, phone and card last four, with the
customer's message quoted below. Among them: one ID-request campaign (a mail
merge from the shared address to 500 customers) and 50 real leaks (another
customer's data pasted into a reply). The day runs twice in one go, with
``bulk_send`` in ``campaign`` mode (the default) and in ``sender`` mode (the
rule before issue 16), for the before/after. Prints tables and writes
bench/results/care_day.json.

Run: ``.venv/bin/python bench/care_day.py [--quick]``.
"""

from __future__ import annotations

import argparse
import random
import secrets
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from lib.measure import percentile
from lib.results import write_result
from lib.tables import print_table
from stdnum import ean, luhn

from crossguard.config import Settings, settings_from_dict
from crossguard.core.private import write_private
from crossguard.index.build import build_index
from crossguard.index.customer_input import read_customers
from crossguard.scan import Guard
from crossguard.synth.customers import Customer, generate_customers, write_customers_csv

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HOURS = 8
AGENTS = 25
SHARED = "care@example.com"
SHARE_OF_SHARED = 0.7
FULL = {"customers": 16_000, "replies": 20_050, "campaign": 500, "leaks": 50}
QUICK = {"customers": 2_000, "replies": 2_500, "campaign": 100, "leaks": 20}
MODES = ("campaign", "sender")
CAMPAIGN_AT_HOUR = 3.0

CAMPAIGN_TEXT = (
    "Thank you for pre-ordering the new phone. Before we can ship your order we need to "
    "verify your purchase. Please reply to this email with a photo of your driver's licence "
    "or passport, your full shipping address and a phone number where we can reach you."
)


@dataclass(frozen=True, slots=True)
class Mail:
    """One outbound message of the day and what it is."""

    raw: bytes
    mail_from: str
    rcpt: str
    at: float
    label: str  # reply | campaign | leak
    detail: str = ""


def ups_number(rng: random.Random) -> str:
    """A UPS 1Z number with a valid check digit."""
    chars = "0123456789ABCDEFGHJKLMNPRSTVWXYZ"
    body = "".join(rng.choice(chars) for _ in range(6)) + f"{rng.randint(1, 99):02d}"
    body += f"{rng.randint(0, 9_999_999):07d}"
    total = sum((int(c) if c.isdigit() else (ord(c) - 63) % 10) * (2 if i % 2 else 1)
                for i, c in enumerate(body))
    return f"1Z{body}{(10 - total % 10) % 10}"


def marketplace_order(rng: random.Random) -> str:
    middle, last = rng.randint(0, 9_999_999), rng.randint(0, 9_999_999)
    return f"{rng.randint(100, 999)}-{middle:07d}-{last:07d}"


def barcode(rng: random.Random) -> str:
    body = f"{rng.randint(0, 10**12 - 1):012d}"
    return body + ean.calc_check_digit(body)


def luhn_number(rng: random.Random, prefix: str, length: int) -> str:
    body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(length - len(prefix) - 1))
    return body + luhn.calc_check_digit(body)


def own_snippets(customer: Customer, rng: random.Random) -> list[str]:
    """Sentences an agent writes to a customer about the customer's own things."""
    imei, serial = customer.device_ids
    order = rng.choice(customer.order_ids)
    return [
        f"Your order {order} (marketplace order {marketplace_order(rng)}) has shipped.",
        f"We checked the phone with IMEI {imei} (serial number {serial}); the repair is done.",
        f"It ships back today with UPS, tracking number {ups_number(rng)}.",
        f"USPS tracking: 9400 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)} "
        f"{rng.randint(1000, 9999)} {rng.randint(1000, 9999)} {rng.randint(10, 99)}.",
        f"FedEx tracking number {rng.randint(10**11, 10**12 - 1)} for the return label.",
        f"The replacement goes to {customer.street}, {customer.city}, {customer.state} "
        f"{customer.postcode}.",
        f"We will call you at {customer.phone} tomorrow between 9 and 11.",
        f"The refund of ${rng.randint(20, 900)}.00 went to your card ending in "
        f"{customer.card[-4:]}.",
        f"Your RMA number is RMA-{rng.randint(100000, 999999)} and the case number is "
        f"{rng.randint(10**7, 10**8 - 1)}.",
        f"Ticket #{rng.randint(10**8, 10**9 - 1)} is closed; invoice {luhn_number(rng, '4', 16)} "
        "is attached to your account.",
        f"The new charger (EAN {barcode(rng)}) is in the box.",
        f"Order {marketplace_order(rng)}: the IMEI of the replacement is "
        f"{luhn_number(rng, '86', 15)}.",
    ]


def customer_quote(customer: Customer, rng: random.Random) -> str:
    """The customer's own message, quoted below the reply."""
    imei = customer.device_ids[0]
    lines = [
        "Hello,",
        f"my phone (IMEI {imei}) stopped charging. My order is {customer.order_ids[0]}.",
        f"You can reach me at {customer.phone} or write to {customer.email}.",
        f"Please send it to {customer.street}, {customer.city}, {customer.state} "
        f"{customer.postcode}.",
        customer.name,
    ]
    return "\n".join("> " + line for line in lines[: rng.randint(3, 5)])


def _email(sender: str, to: str, subject: str, body: str, when: datetime, *,
           reply_to_id: str | None, serial: int) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(when)
    message["Message-ID"] = f"<day{serial}@example.com>"
    if reply_to_id:
        message["In-Reply-To"] = reply_to_id
        message["References"] = reply_to_id
    message.set_content(body)
    return message.as_bytes()


def reply(customer: Customer, agent: tuple[str, str], when: datetime, rng: random.Random,
          serial: int, extra: str = "") -> bytes:
    """One agent's one-to-one reply to a customer, quoting the customer's own data."""
    address, name = agent
    sender = SHARED if rng.random() < SHARE_OF_SHARED else address
    chosen = rng.sample(own_snippets(customer, rng), rng.randint(2, 5))
    body = (f"Hi {customer.first_name},\n\n{' '.join(chosen)}\n{extra}\n"
            f"Kind regards,\n{name}\nCustomer Care, Example Corp\n\n"
            f"On {format_datetime(when - timedelta(hours=2))}, {customer.name} <{customer.email}> "
            f"wrote:\n{customer_quote(customer, rng)}\n")
    return _email(sender, customer.email, f"Re: my phone, order {customer.order_ids[0]}", body,
                  when, reply_to_id=f"<c{serial}@{customer.email.rpartition('@')[2]}>",
                  serial=serial)


def leak_text(other: Customer, kind: int) -> str:
    """Another customer's data, pasted by mistake (five kinds of mistakes)."""
    if kind == 0:
        return (f"For the record: {other.name}, {other.phone}, {other.street}, {other.city}, "
                f"{other.state} {other.postcode}.")
    if kind == 1:
        return f"Order {other.order_ids[0]}, IMEI {other.device_ids[0]} is registered to you."
    if kind == 2:
        return f"We charged the card number {other.card} on file."
    if kind == 3:
        return f"{other.name}, driver's licence number {other.driver_licence}, verified."
    return (f"\n---------- Forwarded message ---------\nFrom: {other.name} <{other.email}>\n"
            f"Please call me on {other.phone}.\n")


def the_day(customers: list[Customer], sizes: dict[str, int], seed: int = 16) -> list[Mail]:
    """Every message of the day in time order (replies, the campaign, the leaks)."""
    rng = random.Random(seed)
    agents = [(f"agent{n:02d}@example.com", f"Agent {chr(65 + n % 26)}. Rivera")
              for n in range(1, AGENTS + 1)]
    day = HOURS * 3600.0
    epoch = START.timestamp()
    order = list(range(len(customers)))
    rng.shuffle(order)
    targets = order + [rng.randrange(len(customers))
                       for _ in range(max(0, sizes["replies"] - len(order)))]
    targets = targets[: sizes["replies"]]
    mails: list[Mail] = []
    leak_slots = set(rng.sample(range(len(targets)), sizes["leaks"]))
    for number, index in enumerate(targets):
        at = epoch + day * (number + rng.random()) / len(targets)
        when = datetime.fromtimestamp(at, UTC)
        customer = customers[index]
        agent = agents[number % AGENTS]
        if number in leak_slots:
            other = customers[(index + 1 + rng.randrange(len(customers) - 1)) % len(customers)]
            kind = len([m for m in mails if m.label == "leak"]) % 5
            raw = reply(customer, agent, when, rng, number, extra=leak_text(other, kind))
            mails.append(Mail(raw, _sender(raw), customer.email, at, "leak", f"kind {kind}"))
        else:
            raw = reply(customer, agent, when, rng, number)
            mails.append(Mail(raw, _sender(raw), customer.email, at, "reply"))
    campaign_start = epoch + CAMPAIGN_AT_HOUR * 3600.0
    for number, customer in enumerate(rng.sample(customers, sizes["campaign"])):
        at = campaign_start + number * 2.0
        body = (f"Hello {customer.first_name},\n\n{CAMPAIGN_TEXT}\n\nYour order: "
                f"{customer.order_ids[0]}\n\nKind regards,\nCustomer Care, Example Corp\n")
        raw = _email(SHARED, customer.email, "Action needed: verify your pre-order", body,
                     datetime.fromtimestamp(at, UTC), reply_to_id=None, serial=900_000 + number)
        mails.append(Mail(raw, SHARED, customer.email, at, "campaign"))
    return sorted(mails, key=lambda mail: mail.at)


def _sender(raw: bytes) -> str:
    start = raw.index(b"From: ") + 6
    return raw[start : raw.index(b"\n", start)].decode().strip()


def settings_for(folder: Path, mode: str = "campaign") -> Settings:
    """The default configuration with the day's key and index (and ``bulk_send`` in ``mode``)."""
    return settings_from_dict(
        {"key_file": "crossguard.key", "index": {"path": "index"},
         "policy": {"rules": {"bulk_send": {"mode": mode}}}},
        source=folder / "crossguard.toml",
    )


def prepare(folder: Path, count: int) -> list[Customer]:
    """Customers, key and index in ``folder``."""
    customers = generate_customers(count, seed=16)
    csv_path = write_customers_csv(customers, folder / "customers.csv")
    write_private(folder / "crossguard.key", secrets.token_hex(32))
    settings = settings_for(folder)
    assert settings.index.path is not None
    build_index(read_customers(csv_path), settings.index.path, settings.secret_key())
    return customers


def run_day(folder: Path, mails: list[Mail], mode: str) -> dict[str, Any]:
    """Every message through a fresh Guard with ``bulk_send`` in ``mode``."""
    guard = Guard.from_settings(settings_for(folder, mode))
    held: Counter[str] = Counter()
    warned: Counter[str] = Counter()
    total: Counter[str] = Counter()
    by_rule: dict[str, Counter[str]] = {label: Counter() for label in ("reply", "campaign", "leak")}
    examples: dict[str, str] = {}
    timings: list[float] = []
    campaign_outcomes: list[str] = []
    started = time.perf_counter()
    for mail in mails:
        verdict = guard.evaluate(mail.raw, mail_from=mail.mail_from, rcpts=[mail.rcpt],
                                 now=mail.at).verdict
        timings.append(verdict.timings_ms["total"])
        total[mail.label] += 1
        if mail.label == "campaign":
            campaign_outcomes.append(verdict.action)
        if verdict.held:
            held[mail.label] += 1
            for rule in verdict.rules:
                if rule.action in ("quarantine", "reject") and not rule.monitor:
                    by_rule[mail.label][rule.rule] += 1
                    if mail.label == "reply":
                        examples.setdefault(rule.rule, rule.reason)
        elif verdict.action == "warn":
            warned[mail.label] += 1
    elapsed = time.perf_counter() - started
    first_held = next((n for n, action in enumerate(campaign_outcomes)
                       if action in ("quarantine", "reject")), None)
    return {
        "messages": len(mails),
        "seconds": round(elapsed, 1),
        "messages_per_s": round(len(mails) / elapsed, 1),
        "p50_ms": round(percentile(timings, 50), 3),
        "p99_ms": round(percentile(timings, 99), 3),
        "replies": total["reply"],
        "false_holds": held["reply"],
        "false_hold_rate_pct": round(100.0 * held["reply"] / max(1, total["reply"]), 3),
        "false_holds_by_rule": dict(by_rule["reply"].most_common()),
        "false_hold_reasons": examples,
        "replies_warned": warned["reply"],
        "leaks": total["leak"],
        "leaks_held": held["leak"],
        "leaks_held_by_rule": dict(by_rule["leak"].most_common()),
        "campaign": total["campaign"],
        "campaign_held": held["campaign"],
        "campaign_held_by_rule": dict(by_rule["campaign"].most_common()),
        "campaign_delivered_before_first_hold": first_held,
        "campaign_warned": warned["campaign"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="A smaller day (for make bench).")
    args = parser.parse_args()
    sizes = QUICK if args.quick else FULL
    with tempfile.TemporaryDirectory(prefix="crossguard-care-day-") as scratch:
        began = time.perf_counter()
        customers = prepare(Path(scratch), sizes["customers"])
        mails = the_day(customers, sizes)
        prepared = time.perf_counter() - began
        distinct = len({mail.rcpt for mail in mails if mail.label == "reply"})
        print(f"{len(mails):,} messages ({distinct:,} distinct customers answered) "
              f"ready in {prepared:.0f} s")
        modes = {mode: run_day(Path(scratch), mails, mode) for mode in MODES}
    rows = [[mode, r["replies"], r["false_holds"], r["false_hold_rate_pct"],
             f"{r['leaks_held']}/{r['leaks']}", f"{r['campaign_held']}/{r['campaign']}",
             r["campaign_delivered_before_first_hold"], r["messages_per_s"], r["p50_ms"],
             r["p99_ms"]] for mode, r in modes.items()]
    print_table(
        f"A care desk's day ({HOURS} h, {AGENTS} agents, default config; bulk_send mode)",
        ["bulk_send", "replies", "false holds", "%", "leaks held", "campaign held",
         "campaign sent before hold", "msg/s", "p50 ms", "p99 ms"], rows)
    for mode, result in modes.items():
        print_table(f"false holds by rule ({mode})", ["rule", "replies held"],
                           [[rule, count] for rule, count in result["false_holds_by_rule"].items()]
                           or [["(none)", 0]])
    after = modes["campaign"]
    acceptance = {
        "false_holds_at_most_0.1pct": after["false_holds"] <= after["replies"] // 1000,
        "all_leaks_held": after["leaks_held"] == after["leaks"],
        "campaign_held": after["campaign_held"] > 0
        and after["campaign_delivered_before_first_hold"] is not None,
    }
    print("\nacceptance (campaign mode):", acceptance)
    write_result("care_day", {
        "sizes": sizes, "hours": HOURS, "agents": AGENTS, "shared_address_share": SHARE_OF_SHARED,
        "distinct_customers_answered": distinct, "modes": modes, "acceptance": acceptance,
    }, quick=args.quick)


if __name__ == "__main__":
    main()
