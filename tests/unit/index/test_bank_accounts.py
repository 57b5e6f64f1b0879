"""iban: a customer's bank account attributes like any primary identifier."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from crossguard.config import settings_from_dict
from crossguard.index.build import build_index
from crossguard.index.customer_input import read_customers
from crossguard.scan import Guard

OWN_IBAN, OTHER_IBAN = "DE89 3704 0044 0532 0130 00", "GB82WEST12345698765432"


def _guard(tmp_path: Path, index_key: bytes) -> Guard:
    table = tmp_path / "customers.csv"
    table.write_text("customer_id,name,email,country,iban\n"
                     f"A,Jana Schulz,jana.schulz@example.net,DE,{OWN_IBAN}\n"
                     f"B,Tom Lee,tom.lee@example.org,GB,{OTHER_IBAN.lower()};DE00 1234\n",
                     encoding="utf-8")
    report = build_index(read_customers(table), tmp_path / "ix", index_key)
    assert [str(problem) for problem in report.problems] == [
        "line 3: dropped field iban (not a valid IBAN)"]
    settings = settings_from_dict({"index": {"path": str(tmp_path / "ix")},
                                   "policy": {"company_domains": ["example.com"]}})
    return Guard.from_settings(settings)


def test_an_iban_attributes_to_its_owner(tmp_path: Path, index_key: bytes,
                                         make_mail: Callable[..., bytes]) -> None:
    guard = _guard(tmp_path, index_key)
    body = f"We will refund the 49.90 EUR to the account {OWN_IBAN} within five days."
    own = guard.check(make_mail(body, to=("jana.schulz@example.net",)),
                      mail_from="care@example.com")
    assert own.action == "allow"
    assert [(a.customer_id, a.kinds) for a in own.attributions] == [("A", ["IBAN"])]
    leak = guard.check(make_mail(body, to=("tom.lee@example.org",)),
                       mail_from="care@example.com")
    assert leak.held and [rule.rule for rule in leak.rules] == ["cross_customer"]
    assert OWN_IBAN not in leak.to_json() and OWN_IBAN.replace(" ", "") not in leak.to_json()


def test_an_iban_written_compact_or_lower_case_is_the_same_account(
        tmp_path: Path, index_key: bytes, make_mail: Callable[..., bytes]) -> None:
    guard = _guard(tmp_path, index_key)
    body = f"Refund to {' '.join(OTHER_IBAN[i:i + 4] for i in range(0, 22, 4))} as asked."
    leak = guard.check(make_mail(body, to=("jana.schulz@example.net",)),
                       mail_from="care@example.com")
    assert [a.customer_id for a in leak.attributions] == ["B"] and leak.held
