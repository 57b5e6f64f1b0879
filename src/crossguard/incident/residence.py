"""Where each affected customer lives: country, and the US state, for the jurisdiction counts.

The country comes from the contacts file's ``country`` column, else the
customer table's ``country`` column; the US state from the contacts file's
``state`` column, else the end of the customer table's ``address``
("..., Springfield, IL" or "..., IL 62701"). Only the two codes are kept:
nothing else of the customer table is read into memory for long.
"""

from __future__ import annotations

import csv
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from crossguard.errors import ConfigError

_STATE_AT_END = re.compile(r",\s*([A-Za-z]{2})(?:\s+\d{5}(?:-\d{4})?)?\s*$")


@dataclass(frozen=True, slots=True)
class Residence:
    """A customer's country (ISO 3166-1 alpha-2) and US state (USPS code), when known."""

    country: str | None = None
    state: str | None = None

    def merged(self, other: Residence) -> Residence:
        """This residence, its missing parts taken from ``other``."""
        return Residence(self.country or other.country, self.state or other.state)


@cache
def _data() -> dict[str, Any]:
    text = files("crossguard.incident").joinpath("data/residence.toml").read_text("utf-8")
    return tomllib.loads(text)


def us_states() -> frozenset[str]:
    return frozenset(_data()["us_states"])


def letter_language(country: str | None) -> str | None:
    """The letter language of ``country`` (data/residence.toml), None when not listed."""
    return _data()["letter_language"].get((country or "").upper()) if country else None


def country_code(value: str | None) -> str | None:
    """A two-letter country code upper-cased, or None."""
    text = (value or "").strip().upper()
    return text if re.fullmatch(r"[A-Z]{2}", text) else None


def state_code(value: str | None) -> str | None:
    """A USPS state code upper-cased, or None when it is not one."""
    text = (value or "").strip().upper()
    return text if text in us_states() else None


def state_of_address(address: str | None) -> str | None:
    """The US state at the end of a one-line address, or None."""
    match = _STATE_AT_END.search(address or "")
    return state_code(match.group(1)) if match else None


def read_customer_residences(path: Path | None, wanted: set[str]) -> dict[str, Residence]:
    """Country and US state of the customers in ``wanted`` from the customer table CSV."""
    if path is None:
        return {}
    found: dict[str, Residence] = {}
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            if "customer_id" not in (reader.fieldnames or []):
                raise ConfigError(f"{path}: the customer table needs a customer_id column")
            for row in reader:
                customer_id = (row.get("customer_id") or "").strip()
                if customer_id not in wanted:
                    continue
                country = country_code(row.get("country"))
                state = state_code(row.get("state")) or state_of_address(row.get("address"))
                if state and country is None:
                    country = "US"
                found[customer_id] = Residence(country, state if country == "US" else None)
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the customer table "
                          f"({type(error).__name__})") from None
    return found
