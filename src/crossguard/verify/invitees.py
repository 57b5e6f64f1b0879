"""Who to invite: a CSV of customer id and e-mail address, or a query on the customer database."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from crossguard.errors import CustomerInputError
from crossguard.verify.invite import Invitee

#: A plain ASCII mailbox (invitations go out without SMTPUTF8).
ADDRESS = (r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}"
           r"@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$")
_ADDRESS = re.compile(ADDRESS)
#: A customer id: 1 to 200 characters, no control characters.
CUSTOMER_ID = r"^[^\x00-\x1f\x7f]{1,200}$"
_CUSTOMER_ID = re.compile(CUSTOMER_ID)
ADDRESS_COLUMNS = ("email", "address")


def _invitee(row: Mapping[str, object], number: int) -> Invitee:
    customer_id = str(row.get("customer_id") or "").strip()
    email = next((str(row[name]).strip() for name in ADDRESS_COLUMNS if row.get(name)), "")
    if not _CUSTOMER_ID.match(customer_id):
        raise CustomerInputError(f"row {number}: customer_id is missing, too long or has "
                                 "control characters")
    if not _ADDRESS.match(email):
        raise CustomerInputError(f"row {number}: email is not an address")
    return Invitee(customer_id, email)


def _unique(rows: Iterable[tuple[int, Mapping[str, object]]]) -> list[Invitee]:
    seen: dict[str, Invitee] = {}
    for number, row in rows:
        invitee = _invitee(row, number)
        if invitee.customer_id in seen:
            raise CustomerInputError(f"row {number}: customer_id appears twice")
        seen[invitee.customer_id] = invitee
    if not seen:
        raise CustomerInputError("no customers to invite")
    return list(seen.values())


def from_csv(path: Path) -> list[Invitee]:
    """Invitees from a CSV with the columns customer_id and email (or address)."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            if "customer_id" not in (reader.fieldnames or ()) or not any(
                    name in (reader.fieldnames or ()) for name in ADDRESS_COLUMNS):
                raise CustomerInputError(f"{path}: needs the columns customer_id and email")
            return _unique(enumerate(reader, start=2))
    except OSError as error:
        raise CustomerInputError(f"{path}: cannot read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise CustomerInputError(f"{path}: not UTF-8") from None


def from_sql(url: str, query: str) -> list[Invitee]:
    """Invitees from a query returning customer_id and email columns."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    try:
        engine = create_engine(url)
        try:
            with engine.connect() as connection:
                rows = [dict(row._mapping) for row in connection.execute(text(query))]
        finally:
            engine.dispose()
    except SQLAlchemyError as error:
        raise CustomerInputError(f"customer query failed ({type(error).__name__})") from None
    return _unique(enumerate(rows, start=1))
