"""The incident's real leak: a customer's licence photo reaching another customer."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

import pytest

from crossguard.config import Settings
from crossguard.scan import Guard
from crossguard.synth.customers import Customer
from crossguard.synth.idimages import licence_image


def _photo(customer: Customer, side: str) -> bytes:
    image = licence_image(customer.name.replace(".", ""), customer.address,
                          customer.driver_licence, date.fromisoformat(customer.dob), side=side)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


@pytest.mark.parametrize("side", ["back", "front"])
def test_licence_photo_is_held_unless_it_goes_back_to_its_owner(
    side: str, make_settings: Callable[..., Settings], customers: list[Customer],
    make_mail: Callable[..., bytes],
) -> None:
    guard = Guard.from_settings(make_settings())
    owner, other = customers[11], customers[12]
    attachment = (("licence.jpg", _photo(owner, side), "image/jpeg"),)
    body = "Here is the document you asked for."
    to_other = guard.check(make_mail(body, to=(other.email,), attachments=attachment),
                           mail_from="care@example.com")
    assert to_other.action == "quarantine"
    cross = [rule for rule in to_other.rules if rule.rule == "cross_customer"]
    assert cross and cross[0].customers == (owner.customer_id,)
    assert "DRIVER_LICENCE" in to_other.attributions[0].kinds
    assert owner.driver_licence not in to_other.to_json()
    to_owner = guard.check(make_mail(body, to=(owner.email,), attachments=attachment),
                           mail_from="care@example.com")
    assert to_owner.action == "allow", [rule.reason for rule in to_owner.rules]
