"""Generated customers with identifiers that validate like real ones."""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from faker import Faker
from stdnum import luhn

from crossguard.core.private import open_private

#: Real US area codes, so that phonenumbers accepts the generated numbers.
AREA_CODES = (
    "201", "202", "206", "212", "213", "214", "303", "305", "312", "404", "415", "503",
    "512", "602", "617", "702", "713", "718", "808", "917", "949", "971",
)
MAIL_DOMAINS = ("gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "aol.com")
CSV_COLUMNS = (
    "customer_id", "name", "email", "phone", "address", "postcode", "country", "dob", "card",
    "driver_licence", "passport", "national_id", "order_ids", "device_ids",
)


@dataclass(slots=True)
class Customer:
    """One generated customer; fields use the customer-table column names."""

    customer_id: str
    name: str
    email: str
    phone: str
    street: str
    city: str
    state: str
    postcode: str
    dob: str
    card: str
    driver_licence: str
    passport: str
    national_id: str
    order_ids: list[str] = field(default_factory=list)
    country: str = "US"
    #: The customer's phone: its IMEI and serial number.
    device_ids: list[str] = field(default_factory=list)

    @property
    def first_name(self) -> str:
        return self.name.split()[0]

    @property
    def address(self) -> str:
        """The one-line postal address as a customer would type it."""
        return f"{self.street}, {self.city}, {self.state} {self.postcode}"

    def as_row(self) -> dict[str, str]:
        """The customer as a customer-table row (CSV columns)."""
        return {
            "customer_id": self.customer_id,
            "name": self.name,
            "email": self.email,
            "phone": self.phone,
            "address": f"{self.street}, {self.city}, {self.state}",
            "postcode": self.postcode,
            "country": self.country,
            "dob": self.dob,
            "card": self.card,
            "driver_licence": self.driver_licence,
            "passport": self.passport,
            "national_id": self.national_id,
            "order_ids": ";".join(self.order_ids),
            "device_ids": ";".join(self.device_ids),
        }


def _phone(rng: random.Random) -> str:
    area = rng.choice(AREA_CODES)
    exchange = rng.randint(200, 989)
    if exchange % 100 == 11:  # N11 exchanges are service codes
        exchange += 1
    return f"({area}) {exchange:03d}-{rng.randint(0, 9999):04d}"


def _ssn(rng: random.Random) -> str:
    area = rng.randint(1, 899)
    if area == 666:  # never issued
        area = 667
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def _device_ids(rng: random.Random) -> list[str]:
    """An IMEI (BABT prefix 35, Luhn check digit) and a serial number."""
    body = "35" + "".join(rng.choice("0123456789") for _ in range(12))
    serial = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(9))
    return [body + luhn.calc_check_digit(body), f"F{rng.randint(1, 9)}{serial}"]


def _order_id(rng: random.Random, used: set[str]) -> str:
    """A new order id: a company never gives two customers the same one."""
    while True:
        order = f"ORD-{rng.randint(10**7, 10**8 - 1)}"
        if order not in used:
            used.add(order)
            return order


def generate_customers(count: int, seed: int = 7) -> list[Customer]:
    """``count`` distinct customers, the same for the same seed."""
    fake = Faker("en_US")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    devices = random.Random(f"{seed}-devices")  # apart, so other values stay as they were
    used: set[str] = set()
    customers = []
    for number in range(1, count + 1):
        first, last = fake.first_name(), fake.last_name()
        name = f"{first} {fake.random_uppercase_letter()}. {last}" if rng.random() < 0.2 else (
            f"{first} {last}"
        )
        email_local = f"{first}.{last}{number}".lower().replace("'", "")
        customers.append(
            Customer(
                customer_id=f"C{number:07d}",
                name=name,
                email=f"{email_local}@{rng.choice(MAIL_DOMAINS)}",
                phone=_phone(rng),
                street=fake.street_address(),
                city=fake.city(),
                state=fake.state_abbr(include_territories=False),
                postcode=fake.zipcode(),
                dob=fake.date_of_birth(minimum_age=18, maximum_age=90).isoformat(),
                card=fake.credit_card_number(card_type=rng.choice(["visa16", "mastercard"])),
                driver_licence=f"{fake.random_uppercase_letter()}{rng.randint(0, 9999999):07d}",
                passport=f"{rng.randint(100000000, 999999999)}",
                national_id=_ssn(rng),
                order_ids=[_order_id(rng, used) for _ in range(rng.randint(1, 3))],
                device_ids=_device_ids(devices),
            )
        )
    return customers


def write_customers_csv(customers: Iterable[Customer], path: Path) -> Path:
    """Write the customer table as CSV with the documented columns."""
    with open_private(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for customer in customers:
            writer.writerow(customer.as_row())
    return path


def pick(customers: Sequence[Customer], count: int, seed: int) -> list[Customer]:
    """A seeded sample of distinct customers."""
    return random.Random(seed).sample(list(customers), count)
