"""The contacts file: where each affected customer's letter goes, and in which language.

A CSV with a ``customer_id`` column and optional columns: ``email`` (the
letter's To), ``enrollment_code`` (quoted only when a remediation offer is
configured), ``language`` (``en``, ``de``, ``es``), ``country`` and ``state``
(where the customer lives, for the letter language and the jurisdiction
counts; they take precedence over the customer table).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from email.errors import HeaderParseError
from email.headerregistry import Address
from pathlib import Path

from crossguard.errors import ConfigError
from crossguard.incident.residence import Residence, country_code, state_code


@dataclass(frozen=True, slots=True)
class Contact:
    """One customer's row of the contacts file (every field optional)."""

    email: str | None = None
    enrollment_code: str | None = None
    language: str | None = None
    country: str | None = None
    state: str | None = None

    @property
    def residence(self) -> Residence:
        return Residence(self.country, self.state)


def read_contacts(path: Path | None) -> dict[str, Contact]:
    """The contacts file by customer id; an unusable email names its line, never the value."""
    if path is None:
        return {}
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            if "customer_id" not in (reader.fieldnames or []):
                raise ConfigError(f"{path}: needs a customer_id column")
            contacts = {}
            for line, row in enumerate(reader, start=2):
                customer_id = (row.get("customer_id") or "").strip()
                if customer_id:
                    contacts[customer_id] = _contact(path, line, row)
            return contacts
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read contacts ({type(error).__name__})") from None


def _contact(path: Path, line: int, row: dict[str, str | None]) -> Contact:
    email = (row.get("email") or "").strip() or None
    if email is not None and not _is_address(email):
        raise ConfigError(f"{path}: line {line}: the email column is not an email address")
    country = country_code(row.get("country"))
    state = state_code(row.get("state"))
    return Contact(email, (row.get("enrollment_code") or "").strip() or None,
                   (row.get("language") or "").strip().lower() or None,
                   country or ("US" if state else None), state)


def _is_address(text: str) -> bool:
    try:
        address = Address(addr_spec=text)
    except (HeaderParseError, ValueError, IndexError):
        return False
    return bool(address.username and address.domain and "." in address.domain)
