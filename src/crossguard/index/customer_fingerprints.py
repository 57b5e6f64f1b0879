"""Fingerprints of one customer row: every identifier, normalized and keyed."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from crossguard.core.kinds import DOCUMENT_KINDS, IndexKind
from crossguard.index import normalize
from crossguard.index.customer_input import Row
from crossguard.index.fingerprint import Keyer

Fingerprints = list[tuple[int, IndexKind]]

_EXACT: dict[str, tuple[IndexKind, Callable[[str], str | None]]] = {
    "email": (IndexKind.EMAIL, normalize.email),
    "driver_licence": (IndexKind.DRIVER_LICENCE, normalize.identifier),
    "passport": (IndexKind.PASSPORT, normalize.identifier),
    "national_id": (IndexKind.NATIONAL_ID, normalize.identifier),
    "order_ids": (IndexKind.ORDER_ID, normalize.order_id),
    "device_ids": (IndexKind.DEVICE_ID, normalize.identifier),
    "dob": (IndexKind.DOB, normalize.dob),
    "postcode": (IndexKind.POSTCODE, normalize.postcode),
}


def name_pairs(tokens: list[str]) -> set[tuple[str, str]]:
    """Token pairs that identify a name: neighbours, and first with last.

    The reversed order ("Smith, Jane") is looked up from the message side.
    """
    words = [token for token in tokens if len(token) > 1]
    pairs = set(itertools.pairwise(tokens))
    if len(words) >= 2:
        pairs.add((words[0], words[-1]))
    return pairs


def customer_fingerprints(
    row: Row, keyer: Keyer, default_country: str
) -> tuple[Fingerprints, list[str]]:
    """The row's fingerprints, and the reasons any of its values were skipped."""
    found: Fingerprints = []
    skipped: list[str] = []
    country = (row.get("country") or [default_country])[0].upper()
    for column, (kind, normalizer) in _EXACT.items():
        for value in row.get(column, []):
            normalized = normalizer(value)
            if normalized is None:
                skipped.append(f"{column} not readable")
            else:
                if kind in DOCUMENT_KINDS:
                    normalized = normalize.document_number(normalized)
                found.append((keyer.exact(kind, normalized), kind))
    for value in row.get("phone", []):
        e164 = normalize.phone(value, country)
        if e164 is None:
            skipped.append("phone not a valid number")
        else:
            found.append((keyer.exact(IndexKind.PHONE, e164), IndexKind.PHONE))
    for value in row.get("card", []):
        digits = normalize.card(value)
        if digits is None:
            skipped.append("card not 12-19 digits")
        else:
            found.append((keyer.exact(IndexKind.CARD, digits), IndexKind.CARD))
            found.append((keyer.exact(IndexKind.CARD_LAST4, digits[-4:]), IndexKind.CARD_LAST4))
    for value in row.get("name", []):
        for pair in name_pairs(normalize.name_tokens(value)):
            found.append((keyer.sequence(pair, IndexKind.NAME), IndexKind.NAME))
    for value in row.get("address", []):
        street = normalize.street_tokens(value)
        if street:
            found.append((keyer.sequence(street, IndexKind.STREET), IndexKind.STREET))
        else:
            skipped.append("address has no house number and street")
    return list(dict.fromkeys(found)), skipped
