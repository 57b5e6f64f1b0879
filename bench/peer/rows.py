"""Fast synthetic customer-table rows for index scale runs (numpy, not Faker per row).

Names come from Faker's en_US name lists, numbers from one seeded numpy
generator drawn in blocks; each row has the columns a real customer table
has (name, email, phone, address, postcode, dob, card, licence, passport,
SSN, order ids), so a build does the same work per row as on real data.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from faker.providers.address.en_US import Provider as AddressProvider
from faker.providers.person.en_US import Provider as PersonProvider

from crossguard.index.customer_input import Row
from crossguard.synth.customers import AREA_CODES, MAIL_DOMAINS

BLOCK = 50_000
FIRST = sorted(set(PersonProvider.first_names))
LAST = sorted(set(PersonProvider.last_names))
STREETS = sorted(set(PersonProvider.last_names))[:2000]
SUFFIXES = list(AddressProvider.street_suffixes)


def _block(rng: np.random.Generator, start: int, size: int) -> Iterator[tuple[int, Row]]:
    first = rng.integers(0, len(FIRST), size)
    last = rng.integers(0, len(LAST), size)
    area = rng.integers(0, len(AREA_CODES), size)
    exchange = rng.integers(200, 990, size)
    line = rng.integers(0, 10_000, size)
    house = rng.integers(1, 99_999, size)
    street = rng.integers(0, len(STREETS), size)
    suffix = rng.integers(0, len(SUFFIXES), size)
    postcode = rng.integers(10_000, 99_999, size)
    year = rng.integers(1935, 2007, size)
    month = rng.integers(1, 13, size)
    day = rng.integers(1, 29, size)
    card = rng.integers(10**15, 10**16 - 1, size, dtype=np.int64)
    numbers = rng.integers(10**7, 10**8 - 1, (size, 4), dtype=np.int64)
    ssn_area = rng.integers(1, 666, size)
    ssn_group = rng.integers(1, 100, size)
    ssn_serial = rng.integers(1, 10_000, size)
    for i in range(size):
        number = start + i
        given, family = FIRST[first[i]], LAST[last[i]]
        domain = MAIL_DOMAINS[number % len(MAIL_DOMAINS)]
        ex = int(exchange[i]) + (1 if exchange[i] % 100 == 11 else 0)
        yield number, {
            "customer_id": [f"C{number:09d}"],
            "name": [f"{given} {family}"],
            "email": [f"{given}.{family}{number}@{domain}".lower()],
            "phone": [f"({AREA_CODES[area[i]]}) {ex:03d}-{line[i]:04d}"],
            "address": [f"{house[i]} {STREETS[street[i]]} {SUFFIXES[suffix[i]]}"],
            "postcode": [f"{postcode[i]:05d}"],
            "dob": [f"{year[i]:04d}-{month[i]:02d}-{day[i]:02d}"],
            "card": [str(card[i])],
            "driver_licence": [f"D{numbers[i, 0]:08d}"],
            "passport": [f"{numbers[i, 1]}"],
            "national_id": [f"{ssn_area[i]:03d}-{ssn_group[i]:02d}-{ssn_serial[i]:04d}"],
            "order_ids": [f"ORD-{numbers[i, 2]}", f"ORD-{numbers[i, 3]}"],
        }


def customer_rows(count: int, seed: int = 11) -> Iterator[tuple[int, Row]]:
    """``count`` rows numbered from 1, the same for the same seed."""
    rng = np.random.default_rng(seed)
    done = 0
    while done < count:
        size = min(BLOCK, count - done)
        yield from _block(rng, done + 1, size)
        done += size
