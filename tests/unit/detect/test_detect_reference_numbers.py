"""Numbers that are not cards or national ids: order, tracking, device and barcode numbers.

Vectors: the order number of issue 16; IMEI 35-209900-176148-1 and MEID
AF0123450ABCDE from python-stdnum's doctests; UPS 1Z999AA10123456784 (UPS
developer guide); S10 RR123456785US (UPU S10); ISBN 978-0-306-40615-7 and
EAN 4006381333931 (python-stdnum's doctests).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from crossguard.detect import DetectorSet

Scan = Callable[..., list[tuple[str, str, str]]]

SENSITIVE = {"CARD", "US_SSN", "DRIVER_LICENCE", "CA_SIN", "UK_NINO", "PASSPORT"}

CASES = [
    ("Your order 301-5859884-4371781 has shipped.", "MARKETPLACE_ORDER_ID", "301-*******-****781"),
    ("Order # 114-3941689-8772232", "MARKETPLACE_ORDER_ID", "114-*******-****232"),
    ("IMEI 35-209900-176148-1 is registered", "IMEI", "35**********481"),
    ("the IMEI is 352099001761481", "IMEI", "35**********481"),
    ("device 352099001761481 repaired", "IMEI", "35**********481"),
    ("MEID: AF0123450ABCDE", "MEID", "AF*********CDE"),
    ("Serial number: C02XK0JHJG5J", "SERIAL_NUMBER", "C0*******G5J"),
    ("S/N 4111111111111111", "SERIAL_NUMBER", "41***********111"),
    ("UPS 1Z999AA10123456784", "TRACKING_NUMBER", "1Z************6784"),
    ("Your parcel RR123456785US", "TRACKING_NUMBER", "RR*******85US"),
    ("FedEx tracking number 449044304137", "TRACKING_NUMBER", "44******4137"),
    ("DHL waybill 3318810025", "TRACKING_NUMBER", "33*****025"),
    ("USPS tracking 9400 1118 9922 3197 4284 90", "TRACKING_NUMBER",
     "94****************8490"),
    ("ISBN 978-0-306-40615-7", "PRODUCT_CODE", "978*******157"),
    ("the book 9780306406157", "PRODUCT_CODE", "978*******157"),
    ("EAN 4006381333931", "PRODUCT_CODE", "400*******931"),
]


@pytest.mark.parametrize(("text", "kind", "masked"), CASES)
def test_reference_numbers_are_their_own_kind(default_set: DetectorSet, text: str, kind: str,
                                              masked: str) -> None:
    found = default_set.scan(text, "1")
    assert [(f.kind, f.masked) for f in found] == [(kind, masked)]
    assert not SENSITIVE & {f.kind for f in found}


@pytest.mark.parametrize("text", [
    "order 4111 1111 1111 1111 was refunded",  # a reference word and no card word
    "Ticket 536-90-4399 is closed",
    "RMA 4111111111111111",
    "invoice 3782-822463-10005",
    "301 5859884 4371781",  # 3-7-7 with spaces: not a card shape
    "35 209900 176148 1",  # an IMEI's grouping is not a card's
])
def test_no_card_or_ssn_from_reference_numbers(default_set: DetectorSet, text: str) -> None:
    assert not SENSITIVE & {f.kind for f in default_set.scan(text, "1")}


def test_a_card_next_to_a_card_word_is_still_a_card(default_set: DetectorSet) -> None:
    found = default_set.scan("order paid with card 4111 1111 1111 1111", "1")
    assert [(f.kind, f.confidence) for f in found] == [("CARD", 0.95)]
    assert [f.kind for f in default_set.scan("4111 1111 1111 1111", "1")] == ["CARD"]


@pytest.mark.parametrize("text", [
    "4111 11 1111 1111 11",  # breaks where no network breaks
    "41 1111 1111 1111 11",
])
def test_card_needs_a_network_grouping(default_set: DetectorSet, text: str) -> None:
    assert [f.kind for f in default_set.scan(text, "1")] != ["CARD"]


def test_imei_without_context_needs_a_reporting_body_prefix(default_set: DetectorSet) -> None:
    # 490154203237518 is a valid IMEI (Luhn) whose prefix 49 is not a reporting body's
    assert [f.kind for f in default_set.scan("number 490154203237518", "1")] == []


def test_the_nearest_word_decides(default_set: DetectorSet) -> None:
    text = "Refund to your card ending in 2120. Invoice 4950180424956219 is attached."
    assert not {"CARD"} & {f.kind for f in default_set.scan(text, "1")}
    text = "For order ORD-12345678 we charged the card 4111 1111 1111 1111."
    assert "CARD" in {f.kind for f in default_set.scan(text, "1")}


@pytest.mark.parametrize(("text", "region"), [
    ("The courier will call (650) 253-0199 before delivery.", "US"),
    ("The courier will call 01 42 68 53 00 before delivery.", "FR"),
    ("Le livreur (courier) appellera le 06 12 34 56 78.", "FR"),
    ("The courier will call (11) 3456-7890 before delivery.", "BR"),
    ("Parcel questions: call 020 555 1234.", "NL"),
])
def test_a_phone_laid_out_as_one_is_no_tracking_number(scan: Scan, text: str,
                                                        region: str) -> None:
    """Ten digits near a carrier word are a DHL number only in one block or blocks of four."""
    kinds = {kind for kind, _, _ in scan(text, regions=[region])}
    assert kinds == {"PHONE"}
