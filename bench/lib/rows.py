"""Fast synthetic customer-table rows for index scale runs (numpy, not Faker per row).

Names come from Faker's en_US name lists, numbers from seeded numpy
generators drawn in blocks; each row has the columns a real customer table
has (name, email, phone, address, postcode, dob, card, licence, passport,
SSN, order ids), so a build does the same work per row as on real data.

The table hands the builder picklable batches (:class:`RowBatch`) that
generate their rows where they are iterated, in the build's worker
processes, as a CSV table's raw batches are parsed there: the reading
process does not make, pickle and send every row. Each block of ``UNIT``
rows has its own seed, so the rows are the same however they are batched.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from faker.providers.address.en_US import Provider as AddressProvider
from faker.providers.person.en_US import Provider as PersonProvider

from crossguard.index.customer_input import Row
from crossguard.synth.customers import AREA_CODES, MAIL_DOMAINS

UNIT = 10_000
FIRST = sorted(set(PersonProvider.first_names))
LAST = sorted(set(PersonProvider.last_names))
STREETS = sorted(set(PersonProvider.last_names))[:2000]
SUFFIXES = list(AddressProvider.street_suffixes)


def _unit(seed: int, start: int, count: int) -> Iterator[tuple[int, Row]]:
    """The first ``count`` rows of the block of UNIT rows numbered from ``start``.

    A whole block is always drawn, so a shorter table is a prefix of a longer one.
    """
    rng = np.random.default_rng((seed, start))
    first = rng.integers(0, len(FIRST), UNIT).tolist()
    last = rng.integers(0, len(LAST), UNIT).tolist()
    area = rng.integers(0, len(AREA_CODES), UNIT).tolist()
    drawn = rng.integers(200, 990, UNIT)
    exchange = (drawn + (drawn % 100 == 11)).tolist()  # no N11 service codes
    line = rng.integers(0, 10_000, UNIT).tolist()
    house = rng.integers(1, 99_999, UNIT).tolist()
    street = rng.integers(0, len(STREETS), UNIT).tolist()
    suffix = rng.integers(0, len(SUFFIXES), UNIT).tolist()
    postcode = rng.integers(10_000, 99_999, UNIT).tolist()
    year = rng.integers(1935, 2007, UNIT).tolist()
    month = rng.integers(1, 13, UNIT).tolist()
    day = rng.integers(1, 29, UNIT).tolist()
    card = rng.integers(10**15, 10**16 - 1, UNIT, dtype=np.int64).tolist()
    numbers = rng.integers(10**7, 10**8 - 1, (UNIT, 4), dtype=np.int64).tolist()
    ssn_area = rng.integers(1, 666, UNIT).tolist()
    ssn_group = rng.integers(1, 100, UNIT).tolist()
    ssn_serial = rng.integers(1, 10_000, UNIT).tolist()
    for i in range(count):
        number = start + i
        given, family = FIRST[first[i]], LAST[last[i]]
        licence, passport, order_a, order_b = numbers[i]
        yield number, {
            "customer_id": [f"C{number:09d}"],
            "name": [f"{given} {family}"],
            "email": [f"{given}.{family}{number}@{MAIL_DOMAINS[number % 6]}".lower()],
            "phone": [f"({AREA_CODES[area[i]]}) {exchange[i]:03d}-{line[i]:04d}"],
            "address": [f"{house[i]} {STREETS[street[i]]} {SUFFIXES[suffix[i]]}"],
            "postcode": [f"{postcode[i]:05d}"],
            "dob": [f"{year[i]:04d}-{month[i]:02d}-{day[i]:02d}"],
            "card": [str(card[i])],
            "driver_licence": [f"D{licence:08d}"],
            "passport": [str(passport)],
            "national_id": [f"{ssn_area[i]:03d}-{ssn_group[i]:02d}-{ssn_serial[i]:04d}"],
            "order_ids": [f"ORD-{order_a}", f"ORD-{order_b}"],
        }


@dataclass(frozen=True, slots=True)
class RowBatch:
    """Rows ``start`` .. ``start + size - 1`` (``start - 1`` a multiple of UNIT), made when read."""

    seed: int
    start: int
    size: int

    def __len__(self) -> int:
        return self.size

    def __iter__(self) -> Iterator[tuple[int, Row]]:
        for start in range(self.start, self.start + self.size, UNIT):
            yield from _unit(self.seed, start, min(UNIT, self.start + self.size - start))


class CustomerTable:
    """``count`` rows numbered from 1, the same for the same seed; ``batches`` for build workers."""

    def __init__(self, count: int, seed: int = 11) -> None:
        self.count = count
        self.seed = seed

    def __iter__(self) -> Iterator[tuple[int, Row]]:
        for batch in self.batches(UNIT):
            yield from batch

    def batches(self, size: int) -> Iterator[RowBatch]:
        """Batches of about ``size`` rows (whole blocks of UNIT rows)."""
        step = max(1, round(size / UNIT)) * UNIT
        for start in range(1, self.count + 1, step):
            yield RowBatch(self.seed, start, min(step, self.count + 1 - start))


def customer_rows(count: int, seed: int = 11) -> CustomerTable:
    """``count`` rows numbered from 1, the same for the same seed."""
    return CustomerTable(count, seed)
