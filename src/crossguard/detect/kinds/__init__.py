"""The built-in detectors, one module per identifier kind."""

from __future__ import annotations

from crossguard.detect.kinds.ca_sin import CaSinDetector
from crossguard.detect.kinds.card import CardDetector
from crossguard.detect.kinds.device_id import DeviceIdDetector
from crossguard.detect.kinds.dob import DobDetector
from crossguard.detect.kinds.driver_licence import DriverLicenceDetector
from crossguard.detect.kinds.email import EmailDetector
from crossguard.detect.kinds.gb_driving_licence import GbDrivingLicenceDetector
from crossguard.detect.kinds.iban import IbanDetector
from crossguard.detect.kinds.ip_address import IpAddressDetector
from crossguard.detect.kinds.marketplace_order import MarketplaceOrderDetector
from crossguard.detect.kinds.national_id import NationalIdDetector
from crossguard.detect.kinds.order_id import OrderIdDetector
from crossguard.detect.kinds.passport import PassportDetector
from crossguard.detect.kinds.passport_mrz import PassportMrzDetector
from crossguard.detect.kinds.phone import PhoneDetector
from crossguard.detect.kinds.product_code import ProductCodeDetector
from crossguard.detect.kinds.tracking import TrackingDetector
from crossguard.detect.kinds.uk_nino import UkNinoDetector
from crossguard.detect.kinds.us_ssn import UsSsnDetector
from crossguard.detect.registry import DetectorFactory, Registry

#: Registered like plugins, in this order (datasette's DEFAULT_PLUGINS).
BUILTINS: tuple[tuple[str, DetectorFactory], ...] = (
    ("email", EmailDetector),
    ("card", CardDetector),
    ("iban", IbanDetector),
    ("us_ssn", UsSsnDetector),
    ("ca_sin", CaSinDetector),
    ("uk_nino", UkNinoDetector),
    ("national_id", NationalIdDetector),
    ("phone", PhoneDetector),
    ("ip_address", IpAddressDetector),
    ("dob", DobDetector),
    ("passport", PassportDetector),
    ("passport_mrz", PassportMrzDetector),
    ("driver_licence", DriverLicenceDetector),
    ("gb_driving_licence", GbDrivingLicenceDetector),
    ("order_id", OrderIdDetector),
    ("marketplace_order", MarketplaceOrderDetector),
    ("tracking", TrackingDetector),
    ("device_id", DeviceIdDetector),
    ("product_code", ProductCodeDetector),
)


def builtin_registry() -> Registry:
    """A registry holding the built-in detectors (a fresh one on each call)."""
    registry = Registry()
    for name, factory in BUILTINS:
        registry.register(name, factory)
    return registry
