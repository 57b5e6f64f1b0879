"""Attribution by the exact-data-match evidence model, through the whole pipeline."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from crossguard.config import Settings, settings_from_dict
from crossguard.index import attribute
from crossguard.index.build import build_index
from crossguard.index.customer_input import read_customers
from crossguard.scan import Guard
from crossguard.synth.customers import Customer

Variant = Callable[[Customer], str]

# Each variant carries ONE customer's data in a realistic shape.
ATTRIBUTING: dict[str, Variant] = {
    "email": lambda c: f"You can reach them at {c.email.upper()}.",
    "phone dotted": lambda c: "Phone: " + c.phone.replace("(", "").replace(") ", ".").replace(
        "-", "."),
    "phone e164": lambda c: "Phone: +1" + "".join(ch for ch in c.phone if ch.isdigit()),
    "card with spaces": lambda c: "Card " + " ".join(c.card[i:i + 4] for i in range(0, 16, 4)),
    "licence": lambda c: f"Driver's licence number: {c.driver_licence.lower()}",
    "passport": lambda c: f"Passport no. {c.passport}",
    "ssn": lambda c: f"SSN {c.national_id}",
    "order id": lambda c: f"About order {c.order_ids[0]}, it shipped.",
    "name and wrapped address": lambda c: (
        f"Ship it to {c.name.upper()},\n{c.street.split()[0]}\n{' '.join(c.street.split()[1:])}"
        f"\n{c.city}, {c.state} {c.postcode}"
    ),
    "street and postcode": lambda c: f"I live at {c.street}, {c.city} {c.postcode}.",
    "name and date of birth": lambda c: (
        f"{c.name}, date of birth {c.dob[5:7]}/{c.dob[8:10]}/{c.dob[:4]}"
    ),
}

NOT_ATTRIBUTING: dict[str, Variant] = {
    "name alone": lambda c: f"Please say hello to {c.name} from us.",
    "postcode alone": lambda c: f"We deliver to {c.postcode} on Mondays.",
    "name and postcode far apart": lambda c: (
        f"Hello {c.name}." + " Lorem ipsum dolor sit amet." * 20 + f" Zone {c.postcode}."
    ),
}


@pytest.fixture
def guard(make_settings: Callable[..., Settings]) -> Guard:
    return Guard.from_settings(make_settings())


@pytest.mark.parametrize("variant", ATTRIBUTING, ids=list(ATTRIBUTING))
def test_each_variant_attributes_its_owner(
    variant: str, guard: Guard, customers: list[Customer], make_mail: Callable[..., bytes]
) -> None:
    for customer in customers[:25]:
        verdict = guard.check(make_mail(ATTRIBUTING[variant](customer)), rcpts=["x@example.org"])
        owners = [attribution.customer_id for attribution in verdict.attributions]
        assert owners == [customer.customer_id], (variant, customer.customer_id)


@pytest.mark.parametrize("variant", NOT_ATTRIBUTING, ids=list(NOT_ATTRIBUTING))
def test_weak_identifiers_alone_do_not_attribute(
    variant: str, guard: Guard, customers: list[Customer], make_mail: Callable[..., bytes]
) -> None:
    for customer in customers[:25]:
        verdict = guard.check(make_mail(NOT_ATTRIBUTING[variant](customer)),
                              rcpts=["x@example.org"])
        assert verdict.attributions == []


def test_evidence_is_masked(guard: Guard, customers: list[Customer],
                            make_mail: Callable[..., bytes]) -> None:
    customer = customers[3]
    body = f"{customer.name}\n{customer.street}\nLicence {customer.driver_licence}"
    verdict = guard.check(make_mail(body), rcpts=["x@example.org"])
    text = verdict.to_json()
    assert verdict.attributions[0].customer_id == customer.customer_id
    for raw in (customer.driver_licence, customer.street, customer.name):
        assert raw not in text


@pytest.mark.parametrize(
    ("text", "postcode", "country"),
    [("Flat 2, 10 Downing Street, London SW1A 2AA", "SW1A2AA", "GB"),
     ("24 Sussex Drive, Ottawa ON K1M1M4", "K1M1M4", "CA")],
)
def test_uk_and_canadian_postcodes_corroborate(
    text: str, postcode: str, country: str, tmp_path: Path, index_key: bytes,
    make_mail: Callable[..., bytes],
) -> None:
    table = tmp_path / "c.csv"
    street = text.split(",")[-2].strip() if text.startswith("Flat") else text.split(",")[0]
    table.write_text(f'customer_id,address,postcode,country\nA,"{street}",{postcode},{country}\n')
    build_index(read_customers(table), tmp_path / "ix", index_key)
    settings = settings_from_dict({"index": {"path": str(tmp_path / "ix")}})
    verdict = Guard.from_settings(settings).check(make_mail(text), rcpts=["x@example.org"])
    assert [a.customer_id for a in verdict.attributions] == ["A"]
    assert sorted(a.kinds for a in verdict.attributions)[0] == ["POSTAL_ADDRESS", "POSTCODE"]


def test_card_ending_in_corroborates_a_name(
    guard: Guard, customers: list[Customer], make_mail: Callable[..., bytes]
) -> None:
    customer = customers[9]
    without = f"{customer.name} ({customer.postcode}) paid by card."
    assert guard.check(make_mail(without), rcpts=["x@example.org"]).attributions == []
    last4 = customer.card[-4:]
    body = f"{customer.name} ({customer.postcode}) paid with the card ending in {last4}."
    verdict = guard.check(make_mail(body), rcpts=["x@example.org"])
    assert [a.customer_id for a in verdict.attributions] == [customer.customer_id]
    assert "CARD_LAST4" in verdict.attributions[0].kinds


def test_recipient_owners_are_remembered_within_a_bound(
    guard: Guard, customers: list[Customer], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Owners of an address are looked up once, answered alike in any case, and the
    memory of them starts over when full."""
    attributor = guard._attributor
    assert attributor is not None
    monkeypatch.setattr(attribute, "EMAIL_OWNERS_KEPT", 3)
    looked_up: list[int] = []
    owners = attributor.index.owners
    monkeypatch.setattr(attributor.index, "owners",
                        lambda fingerprint: looked_up.append(fingerprint) or owners(fingerprint))
    first = customers[0]
    assert attributor.customers_with_email(first.email) == {first.customer_id}
    assert attributor.customers_with_email(f" {first.email.upper()} ") == {first.customer_id}
    assert len(looked_up) == 1
    for customer in customers[1:6]:
        assert attributor.customers_with_email(customer.email) == {customer.customer_id}
    assert attributor.customers_with_email("nobody@example.org") == frozenset()
    assert len(attributor._email_owners) <= 3
    assert attributor.customers_with_email(first.email) == {first.customer_id}
    assert len(looked_up) == 8  # the first address was forgotten and looked up again
