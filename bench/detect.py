"""Benchmark DetectorSet.scan over generated customer-care mail text.

Generates 1,000 messages of 1-6 KB (seeded Faker prose around customers from
``crossguard.synth``: greetings, order talk, quoted history, signatures, and
some phones, e-mails, cards, addresses and identity numbers), scans each
with a fresh DetectorSet per pass (cold caches), prints a table and writes
``bench/results/detect.json``. Times are CPU time per scan; the machine is
shared, so the table also gives, per message, the best of several passes
(the ``timeit`` convention for filtering out other processes' interference).

    .venv/bin/python bench/detect.py [--messages N] [--seed S] [--passes P] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import random
import statistics
import time
from collections import Counter

from faker import Faker
from lib.results import write_result

from crossguard.detect import DetectorSet
from crossguard.detect.settings import DetectSettings
from crossguard.synth.customers import Customer, generate_customers

GREETINGS = ["Hi", "Hello", "Dear", "Good morning", "Hi there", "Hey"]
CLOSINGS = ["Kind regards", "Best", "Thanks", "Many thanks", "Cheers", "Sincerely"]
ORDER_LINES = [
    "I ordered the phone on {date} and it still has not shipped. Order {order}.",
    "Could you check the status of order {order}? The tracking page shows nothing.",
    "Your order {order} has been dispatched and should arrive within 3-5 business days.",
    "We refunded {amount} to the card ending in {last4} for order {order}.",
    "The case I received with order {order} is the wrong colour, can I swap it?",
]
PII_LINES = [
    "You can reach me on {phone} after 5pm.",
    "Please use my other address {email} for the invoice.",
    "The card I used was {card}, expiry {exp}.",
    "Ship it to {address} instead please.",
    "My date of birth is {dob} if you need it for verification.",
    "Driver's license number: {licence}",
    "My passport no. is {passport}.",
    "SSN {ssn} as requested (sorry if this is not secure).",
    "Call our office at {phone} or write to {email}.",
]


def _fill(template: str, fake: Faker, rng: random.Random, customer: Customer) -> str:
    return template.format(
        date=fake.date_this_year().strftime("%B %d"),
        order=rng.choice(customer.order_ids),
        amount=f"${rng.randint(5, 999)}.{rng.randint(0, 99):02d}",
        last4=customer.card[-4:],
        phone=customer.phone,
        email=customer.email,
        card=customer.card,
        exp=f"{rng.randint(1, 12):02d}/{rng.randint(26, 31)}",
        address=customer.address,
        dob=customer.dob,
        licence=customer.driver_licence,
        passport=customer.passport,
        ssn=customer.national_id,
    )


def _signature(fake: Faker, rng: random.Random) -> str:
    lines = [fake.name(), f"{fake.job()}, {fake.company()}", fake.street_address()]
    lines.append(f"{fake.city()}, {fake.state_abbr()} {fake.zipcode()}")
    if rng.random() < 0.7:
        lines.append(f"Tel: {fake.phone_number()}")
    if rng.random() < 0.5:
        lines.append(f"www.{fake.domain_name()}")
    return "\n".join(lines)


def message(fake: Faker, rng: random.Random, customers: list[Customer]) -> str:
    """One customer-care mail body of roughly 1-6 KB."""
    customer = rng.choice(customers)
    target = rng.randint(1000, 6000)
    parts = [f"{rng.choice(GREETINGS)} {customer.first_name},", ""]
    while sum(len(part) + 1 for part in parts) < target - 400:
        roll = rng.random()
        if roll < 0.25:
            parts.append(_fill(rng.choice(ORDER_LINES), fake, rng, customer))
        elif roll < 0.40:
            parts.append(_fill(rng.choice(PII_LINES), fake, rng, customer))
        elif roll < 0.50:
            quoted = fake.paragraph(nb_sentences=4)
            parts.append(f"On {fake.date_time_this_year():%a, %d %b %Y at %H:%M}, wrote:")
            parts.extend(f"> {line}" for line in quoted.split(". "))
        else:
            parts.append(fake.paragraph(nb_sentences=rng.randint(2, 6)))
        parts.append("")
    parts += [f"{rng.choice(CLOSINGS)},", _signature(fake, rng)]
    return "\n".join(parts)


def _timed_pass(texts: list[str]) -> tuple[list[float], Counter[str]]:
    """Scan every text once with a fresh DetectorSet (cold caches); CPU seconds per text."""
    detectors = DetectorSet.from_settings(DetectSettings())
    kinds: Counter[str] = Counter()
    times: list[float] = []
    for text in texts:
        started = time.process_time()
        findings = detectors.scan(text, "1")
        times.append(time.process_time() - started)
        kinds.update(finding.kind for finding in findings)
    return times, kinds


def _figures(times: list[float], megabytes: float) -> dict[str, float]:
    ordered = sorted(times)
    total = sum(times)
    return {
        "seconds": round(total, 3),
        "mb_per_s": round(megabytes / total, 2),
        "messages_per_s": round(len(times) / total, 1),
        "ms_p50": round(statistics.median(ordered) * 1000, 3),
        "ms_p99": round(ordered[int(len(ordered) * 0.99) - 1] * 1000, 3),
    }


def main() -> None:
    """Generate, scan, print the table, write the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--passes", type=int, default=3, help="timed passes (best kept per text)")
    parser.add_argument("--profile", action="store_true", help="print the top cProfile entries")
    args = parser.parse_args()

    fake = Faker("en_US")
    fake.seed_instance(args.seed)
    rng = random.Random(args.seed)
    customers = generate_customers(200, seed=args.seed)
    texts = [message(fake, rng, customers) for _ in range(args.messages)]
    megabytes = sum(len(text.encode()) for text in texts) / 1e6
    # Faker's data and the corpus are scaffolding: keep the garbage collector
    # from re-walking them during timed scans (as a long-running server would).
    gc.collect()
    gc.freeze()
    load = os.getloadavg()[0]

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        _timed_pass(texts)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)

    passes = [_timed_pass(texts) for _ in range(max(1, args.passes))]
    first, kinds = passes[0]
    best = [min(times) for times in zip(*(times for times, _ in passes), strict=True)]
    result: dict[str, object] = {
        "messages": len(texts),
        "megabytes": round(megabytes, 3),
        "mean_kb": round(megabytes * 1000 / len(texts), 2),
        "load_average_1m": round(load, 2),
        "first_pass": _figures(first, megabytes),
        f"best_of_{len(passes)}": _figures(best, megabytes),
        "findings_by_kind": dict(sorted(kinds.items())),
    }
    print(
        f"{len(texts)} messages, {megabytes:.2f} MB (mean {result['mean_kb']} KB), "
        f"CPU time per scan, 1-minute load average {load:.2f} on {os.cpu_count()} cores"
    )
    rows = [
        ("first pass", _figures(first, megabytes)),
        (f"best of {len(passes)}", _figures(best, megabytes)),
    ]
    header = f"{'':<12}{'MB/s':>8}{'msg/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
    print(header)
    for label, figures in rows:
        print(
            f"{label:<12}{figures['mb_per_s']:>8.2f}{figures['messages_per_s']:>9.0f}"
            f"{figures['ms_p50']:>9.3f}{figures['ms_p99']:>9.3f}"
        )
    print(
        "findings by kind: " + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
    )
    write_result("detect", result, quick=False)


if __name__ == "__main__":
    main()
