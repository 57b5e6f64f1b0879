"""device_ids: a customer's IMEI and serial number attribute like any primary identifier."""

from __future__ import annotations

from collections.abc import Callable

from crossguard.config import Settings
from crossguard.scan import Guard
from crossguard.synth.customers import Customer


def test_device_ids_attribute_to_their_owner(make_settings: Callable[..., Settings],
                                             make_mail: Callable[..., bytes],
                                             customers: list[Customer]) -> None:
    guard = Guard.from_settings(make_settings())
    owner, other = customers[3], customers[4]
    imei, serial = owner.device_ids
    body = f"We received the phone with IMEI {imei} (serial number {serial})."
    own = guard.check(make_mail(body, to=(owner.email,)), mail_from="care@example.com")
    assert own.action == "allow"
    assert [a.customer_id for a in own.attributions] == [owner.customer_id]
    assert own.attributions[0].kinds == ["DEVICE_ID"]
    leak = guard.check(make_mail(body, to=(other.email,)), mail_from="care@example.com")
    assert leak.held
    assert [r.rule for r in leak.rules] == ["cross_customer"]
    assert imei not in leak.to_json() and serial not in leak.to_json()


def test_an_unknown_device_id_is_not_held(make_settings: Callable[..., Settings],
                                          make_mail: Callable[..., bytes],
                                          customers: list[Customer]) -> None:
    guard = Guard.from_settings(make_settings())
    body = "Your replacement has IMEI 352099001761481 and serial number F7KQ2M8X9Z."
    verdict = guard.check(make_mail(body, to=(customers[0].email,)), mail_from="care@example.com")
    assert verdict.action == "allow"
    assert {f.kind for f in verdict.findings} == {"IMEI", "SERIAL_NUMBER"}
