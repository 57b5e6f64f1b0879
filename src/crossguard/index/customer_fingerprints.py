"""Fingerprints of one customer row: every identifier, normalized in the row's country and keyed.

Each value read is either indexed or dropped with a reason ("not a valid ES
national id", "fails the Luhn check"); the build report counts both per field.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from crossguard.core.kinds import DOCUMENT_KINDS, IndexKind
from crossguard.index import normalize
from crossguard.index.customer_input import Row
from crossguard.index.fingerprint import Keyer, word_key

Fingerprints = list[tuple[int, IndexKind]]
#: One value read: its column, and None when indexed or the reason it was dropped.
Outcome = tuple[str, str | None]

_PLAIN: dict[str, tuple[IndexKind, Callable[[str], str | None], str]] = {
    "email": (IndexKind.EMAIL, normalize.email, "not an email address"),
    "driver_licence": (IndexKind.DRIVER_LICENCE, normalize.identifier, "empty"),
    "passport": (IndexKind.PASSPORT, normalize.identifier, "empty"),
    "order_ids": (IndexKind.ORDER_ID, normalize.order_id, "empty"),
    "device_ids": (IndexKind.DEVICE_ID, normalize.identifier, "empty"),
    "iban": (IndexKind.BANK_ACCOUNT, normalize.iban, "not a valid IBAN"),
}
_BY_COUNTRY: dict[str, tuple[IndexKind, Callable[[str, str], str | None], str]] = {
    "phone": (IndexKind.PHONE, normalize.phone, "not a valid {country} phone number"),
    "dob": (IndexKind.DOB, normalize.dob, "not a date in {country}'s order"),
    "postcode": (IndexKind.POSTCODE, normalize.postcode, "not a {country} postcode"),
    "national_id": (IndexKind.NATIONAL_ID, normalize.national_id,
                    "not a valid {country} national id"),
}


def name_pairs(tokens: list[str]) -> set[tuple[str, str]]:
    """Token pairs that identify a name: neighbours, first with last, and initial with surname.

    A pair's fingerprint does not depend on its order, so "Smith, Jane" finds
    it too; the initial pairs find "J. Müller" and "M. García".
    """
    words = [token for token in tokens if len(token) > 1]
    pairs = set(itertools.pairwise(tokens))
    if len(words) >= 2:
        pairs.add((words[0], words[-1]))
        pairs.update((words[0][0], surname) for surname in words[1:])
    return pairs


def row_country(row: Row, default_country: str) -> str:
    """The row's country (``country`` column), else the index default; upper-case."""
    return (row.get("country") or [default_country])[0].strip().upper() or default_country


def customer_fingerprints(
    row: Row, keyer: Keyer, default_country: str
) -> tuple[Fingerprints, list[Outcome], set[int]]:
    """The row's fingerprints, the outcome of every value read, and its words: the words
    and initials of its names and the words of its street lines after the house number,
    as :func:`word_key`s (every word a name pair or street line of it can hold)."""
    found: Fingerprints = []
    words: set[int] = set()
    outcomes: list[Outcome] = []
    country = row_country(row, default_country)

    def add(column: str, kind: IndexKind, value: str | None, reason: str) -> None:
        if value is None:
            outcomes.append((column, reason.format(country=country)))
            return
        if kind in DOCUMENT_KINDS:
            value = normalize.document_number(value)
        found.append((keyer.exact(kind, value), kind))
        outcomes.append((column, None))

    for column, (kind, plain, reason) in _PLAIN.items():
        for value in row.get(column, []):
            add(column, kind, plain(value), reason)
    for column, (kind, by_country, reason) in _BY_COUNTRY.items():
        for value in row.get(column, []):
            add(column, kind, by_country(value, country), reason)
    for value in row.get("card", []):
        digits = normalize.card(value)
        if digits is None:
            outcomes.append(("card", "not 12-19 digits"))
        elif not normalize.luhn_valid(digits):
            outcomes.append(("card", "fails the Luhn check"))
        else:
            add("card", IndexKind.CARD, digits, "")
            found.append((keyer.exact(IndexKind.CARD_LAST4, digits[-4:]), IndexKind.CARD_LAST4))
    for value in row.get("name", []):
        tokens = normalize.name_tokens(value)
        pairs = name_pairs(tokens)
        found.extend((keyer.pair(pair, IndexKind.NAME), IndexKind.NAME) for pair in pairs)
        if pairs:
            named = {*tokens, *(token[:1] for token in tokens)} - {""}
            words.update(word_key(keyer.token(word), IndexKind.NAME) for word in named)
        outcomes.append(("name", None if pairs else "fewer than two name words"))
    for value in row.get("address", []):
        street = normalize.street_tokens(value)
        if street:
            found.append((keyer.sequence(street, IndexKind.STREET), IndexKind.STREET))
            words.update(word_key(keyer.token(word), IndexKind.STREET) for word in street[1:])
        outcomes.append(("address", None if street else "no house number and street"))
    return list(dict.fromkeys(found)), outcomes, words
