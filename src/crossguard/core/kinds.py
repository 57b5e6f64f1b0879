"""Index kinds: what a fingerprint stands for, and how much it proves.

Detector kinds map onto index kinds (``US_SSN``, ``UK_NINO``, ``CA_SIN`` and the
national ids of ``data/national_ids.toml`` are all ``NATIONAL_ID``). The codes
are stored in index files: append only.
"""

from __future__ import annotations

from enum import IntEnum

from crossguard.core.locales.national_ids import kinds as national_id_kinds


class IndexKind(IntEnum):
    """Kind codes stored next to every fingerprint."""

    EMAIL = 1
    PHONE = 2
    CARD = 3
    DRIVER_LICENCE = 4
    PASSPORT = 5
    NATIONAL_ID = 6
    ORDER_ID = 7
    NAME = 8
    STREET = 9
    POSTCODE = 10
    DOB = 11
    CARD_LAST4 = 12
    DEVICE_ID = 13
    BANK_ACCOUNT = 14


PRIMARY = frozenset(
    {
        IndexKind.EMAIL, IndexKind.PHONE, IndexKind.CARD, IndexKind.DRIVER_LICENCE,
        IndexKind.PASSPORT, IndexKind.NATIONAL_ID, IndexKind.ORDER_ID, IndexKind.DEVICE_ID,
        IndexKind.BANK_ACCOUNT,
    }
)

#: Document numbers, whose O/I and 0/1 are folded before hashing (OCR confuses them).
DOCUMENT_KINDS = frozenset({IndexKind.DRIVER_LICENCE, IndexKind.PASSPORT, IndexKind.NATIONAL_ID})

#: Weight of a match of a weak kind; weak kinds only count when corroborated.
WEAK_WEIGHT: dict[IndexKind, float] = {
    IndexKind.NAME: 0.5,
    IndexKind.STREET: 0.6,
    IndexKind.POSTCODE: 0.4,
    IndexKind.DOB: 0.5,
    IndexKind.CARD_LAST4: 0.3,
}

#: Finding kinds (detector names) and the index kind their value is looked up as.
FINDING_TO_INDEX: dict[str, IndexKind] = {
    "EMAIL": IndexKind.EMAIL,
    "PHONE": IndexKind.PHONE,
    "CARD": IndexKind.CARD,
    "DRIVER_LICENCE": IndexKind.DRIVER_LICENCE,
    "PASSPORT": IndexKind.PASSPORT,
    "PASSPORT_MRZ": IndexKind.PASSPORT,
    "US_SSN": IndexKind.NATIONAL_ID,
    "UK_NINO": IndexKind.NATIONAL_ID,
    "CA_SIN": IndexKind.NATIONAL_ID,
    "NATIONAL_ID": IndexKind.NATIONAL_ID,
    **dict.fromkeys(national_id_kinds(), IndexKind.NATIONAL_ID),
    "ORDER_ID": IndexKind.ORDER_ID,
    "DOB": IndexKind.DOB,
    "IMEI": IndexKind.DEVICE_ID,
    "MEID": IndexKind.DEVICE_ID,
    "SERIAL_NUMBER": IndexKind.DEVICE_ID,
    "IBAN": IndexKind.BANK_ACCOUNT,
}

#: The public name shown in evidence for each index kind.
EVIDENCE_NAME: dict[IndexKind, str] = {
    IndexKind.NAME: "PERSON_NAME",
    IndexKind.STREET: "POSTAL_ADDRESS",
    IndexKind.POSTCODE: "POSTCODE",
    IndexKind.CARD_LAST4: "CARD_LAST4",
    IndexKind.BANK_ACCOUNT: "IBAN",
}


def evidence_name(kind: IndexKind) -> str:
    """The stable public kind name used in evidence and reports."""
    return EVIDENCE_NAME.get(kind, kind.name)
