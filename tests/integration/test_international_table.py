"""Issue 15's table, grown to sixteen rows: customers of sixteen countries, values as people
write them.

The table goes through ``crossguard index build --strict`` (exit 2 on any dropped
field), then each customer's address, local-format phone, date of birth and
national id (a UK driving licence for GB) is quoted in a reply to the next
customer: each reply is held, attributed to the customer whose data it is.
The national ids are python-stdnum's documented valid examples.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from crossguard.config import settings_from_dict
from crossguard.scan import Guard

CLI = [sys.executable, "-m", "crossguard.cli"]


@dataclass(frozen=True)
class Row:
    country: str
    name: str
    address: str
    postcode: str
    postline: str
    phone: str
    dob: str
    id_label: str
    national_id: str


ROWS = [
    Row("GB", "Oliver Bennett", "Flat 3B, 22 Baker Street", "NW1 6XE", "London NW1 6XE",
        "020 7946 0958", "14/03/1990", "Driving licence", "MORGA657054SM9IJ"),
    Row("ES", "María García López", "Calle Mayor 12, 3º B", "28013", "28013 Madrid",
        "912 34 56 78", "02/05/1985", "DNI", "54362315K"),
    Row("DK", "Søren Nørgaard", "Nørregade 10", "1165", "1165 København K", "32 12 34 56",
        "17.08.1975", "CPR-nr.", "211062-5629"),
    Row("US", "Jordan Ellis", "Apt 4, 1600 Amphitheatre Pkwy", "94043",
        "Mountain View, CA 94043", "(650) 253-0199", "07/04/1980", "SSN", "536-90-4399"),
    Row("DE", "Jürgen Müller", "Friedrichstraße 43, Whg. 5", "10117", "10117 Berlin",
        "030 901820", "03.10.1972", "Steuer-IdNr.", "36574261809"),
    Row("FR", "Élodie Lefèvre", "12 rue de Rivoli", "75004", "75004 Paris", "01 42 68 53 00",
        "21/06/1988", "NIR", "2 95 10 99 126 111 93"),
    Row("IT", "Lucia Rossi", "Via Roma 25", "00184", "00184 Roma", "06 6988 4857",
        "25/12/1979", "Codice fiscale", "RCCMNL83S18D969H"),
    Row("NL", "Sanne van der Berg", "Keizersgracht 123", "1015 CJ", "1015 CJ Amsterdam",
        "020 555 1234", "09-11-1991", "BSN", "111222333"),
    Row("BE", "Lucas Dubois", "Rue Neuve 15 bte 2", "1000", "1000 Bruxelles", "02 555 12 12",
        "30/07/1985", "Numéro national", "85.07.30-033.28"),
    Row("SE", "Anna Lindqvist", "Drottninggatan 53", "111 21", "111 21 Stockholm",
        "08-123 456 78", "1965-11-23", "Personnummer", "880320-0016"),
    Row("PL", "Katarzyna Wójcik", "ul. Marszałkowska 10", "00-590", "00-590 Warszawa",
        "22 123 45 67", "15.01.1983", "PESEL", "44051401359"),
    Row("BR", "João Pereira", "Avenida Paulista 1578", "01310-200", "01310-200 São Paulo",
        "(11) 3456-7890", "05/09/1970", "CPF", "390.533.447-05"),
    Row("NO", "Ingrid Hansen", "Karl Johans gate 22", "0159", "0159 Oslo", "22 33 44 55",
        "15.10.1986", "Fødselsnummer", "151086 95088"),
    Row("CH", "Lukas Meier", "Bahnhofstrasse 45", "8001", "8001 Zürich", "044 668 18 00",
        "17.09.1992", "AHV-Nr.", "756.9217.0769.85"),
    Row("AT", "Anna Gruber", "Mariahilfer Straße 77", "1060", "1060 Wien", "0664 123 4567",
        "01.01.1980", "SV-Nummer", "1237 010180"),
    Row("CZ", "Jan Novák", "Václavské náměstí 28", "110 00", "110 00 Praha 1", "224 123 456",
        "19.03.1971", "Rodné číslo", "710319/2745"),
]

#: How a reply quotes each kind of one customer's data.
QUOTES = {
    "address": lambda row: f"Shipping label:\n{row.name}\n{row.address}\n{row.postline}",
    "phone": lambda row: f"The courier will call {row.phone} before delivery.",
    "dob": lambda row: f"{row.name}, date of birth {row.dob}, is on the order.",
    "national_id": lambda row: f"{row.id_label} {row.national_id}",
}


#: The same data as an agent in each country writes it, in its language (month names too).
LOCAL = {
    "GB": ["We'll ring you on {phone} tomorrow.", "{name}, born 14 March 1990, holds it.",
           "Your licence number is {id}."],
    "ES": ["Le llamaremos al {phone} mañana.", "{name}, nacida el 2 de mayo de 1985.",
           "Su DNI es {id}.", "Enviamos el pedido a {address}, {postline}."],
    "DK": ["Vi ringer på {phone} i morgen.", "{name}, født 17. august 1975.",
           "Dit CPR-nummer er {id}."],
    "US": ["We'll call you at {phone}.", "{name}, born July 4, 1980.",
           "Your Social Security number {id} is on file."],
    "DE": ["Wir rufen Sie unter {phone} an.", "{name}, geboren am 3. Oktober 1972.",
           "Ihre Steuer-ID lautet {id}.", "Lieferung an: {address}, {postline}"],
    "FR": ["Nous vous rappellerons au {phone}.", "{name}, née le 21 juin 1988.",
           "Votre numéro de sécurité sociale : {id}.",
           "Votre colis sera livré au {address}, {postline}."],
    "IT": ["La richiameremo al {phone}.", "{name}, nata il 25 dicembre 1979.",
           "Il suo codice fiscale è {id}."],
    "NL": ["We bellen u op {phone}.", "{name}, geboren op 9 november 1991.", "Uw BSN is {id}."],
    "BE": ["Nous vous appellerons au {phone}.", "{name}, né le 30 juillet 1985.",
           "Votre numéro de registre national est {id}."],
    "SE": ["Vi ringer dig på {phone}.", "{name}, född 23 november 1965.",
           "Ditt personnummer är {id}."],
    "PL": ["Zadzwonimy pod numer {phone}.", "{name}, urodzona 15 stycznia 1983.",
           "Twój numer PESEL to {id}."],
    "BR": ["Ligaremos para {phone} amanhã.", "{name}, nascido em 5 de setembro de 1970.",
           "Seu CPF é {id}.", "Entrega em {address}, {postline}."],
    "NO": ["Vi ringer deg på {phone} i morgen.", "{name}, født 15. oktober 1986.",
           "Ditt fødselsnummer er {id}.", "Vi sender pakken til {address}, {postline}."],
    "CH": ["Wir rufen Sie unter {phone} an.", "{name}, geboren am 17. September 1992.",
           "Ihre AHV-Nummer lautet {id}."],
    "AT": ["Wir rufen Sie unter {phone} zurück.", "{name}, geboren am 1. Jänner 1980.",
           "Ihre Sozialversicherungsnummer lautet {id}."],
    "CZ": ["Zavoláme vám na číslo {phone}.", "{name}, narozen 19. března 1971.",
           "Vaše rodné číslo je {id}.", "Zásilku pošleme na adresu {address}, {postline}."],
}
LOCAL_CASES = [(owner, text) for owner, row in enumerate(ROWS) for text in LOCAL[row.country]]


def customer_id(index: int) -> str:
    return f"C{index:02d}"


def email(index: int) -> str:
    return f"customer{index:02d}@mail.example.net"


@pytest.fixture(scope="module")
def table_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder set up by ``crossguard init`` (its own key file) holding the table as CSV."""
    folder = tmp_path_factory.mktemp("twelve")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("CROSSGUARD_KEY", raising=False)  # the key file, not the tests' key
        assert run("init", "--dir", ".", cwd=folder).returncode == 0
        with (folder / "customers.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["customer_id", "name", "email", "phone", "address", "postcode",
                             "country", "dob", "driver_licence", "national_id"])
            for index, row in enumerate(ROWS):
                licence, national = ((row.national_id, "") if row.country == "GB"
                                     else ("", row.national_id))
                writer.writerow([customer_id(index), row.name, email(index), row.phone,
                                 row.address, row.postcode, row.country, row.dob, licence,
                                 national])
        yield folder


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], cwd=cwd, capture_output=True, text=True, check=False,
                          timeout=120)


@pytest.fixture(scope="module")
def build_report(table_folder: Path) -> dict[str, Any]:
    """``index build --strict --json`` of the table (exit 2 on any dropped field)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("CROSSGUARD_KEY", raising=False)
        build = run("index", "build", "customers.csv", "--out", "index", "--strict", "--json",
                    cwd=table_folder)
    assert build.returncode == 0, build.stderr
    report: dict[str, Any] = json.loads(build.stdout)
    return report


def test_every_field_of_every_row_is_indexed(build_report: dict[str, Any]) -> None:
    report = build_report
    assert report["customers"] == len(ROWS)
    fields = report["fields"]
    for column in ("address", "postcode", "phone", "dob", "national_id", "driver_licence"):
        assert fields[column]["dropped"] == {}, column
    assert fields["address"]["indexed"] == len(ROWS)
    assert report["problems"] == []


@pytest.fixture(scope="module")
def guard(table_folder: Path, build_report: dict[str, Any]) -> Guard:
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("CROSSGUARD_KEY", raising=False)
        return Guard.from_settings(settings_from_dict({
            "key_file": str(table_folder / "crossguard.key"),
            "index": {"path": str(table_folder / "index")},
            "policy": {"company_domains": ["example.com"]}}))


@pytest.mark.parametrize("kind", sorted(QUOTES))
@pytest.mark.parametrize("owner", range(len(ROWS)), ids=[row.country for row in ROWS])
def test_a_reply_to_another_customer_quoting_it_is_held(guard: Guard, owner: int,
                                                        kind: str) -> None:
    recipient = (owner + 1) % len(ROWS)
    message = EmailMessage()
    message["From"] = "care@example.com"
    message["To"] = email(recipient)
    message["Subject"] = "Re: your order"
    message.set_content(f"Hello,\n\n{QUOTES[kind](ROWS[owner])}\n\nKind regards,\nCare team\n")
    assert_held_for(guard, message, owner)


@pytest.mark.parametrize(("owner", "template"), LOCAL_CASES,
                         ids=[f"{ROWS[owner].country}-{number}" for number, (owner, _)
                              in enumerate(LOCAL_CASES)])
def test_the_same_data_in_the_local_language_is_held(guard: Guard, owner: int,
                                                     template: str) -> None:
    row = ROWS[owner]
    message = EmailMessage()
    message["From"] = "care@example.com"
    message["To"] = email((owner + 1) % len(ROWS))
    message["Subject"] = "Re: order"
    message.set_content(template.format(phone=row.phone, name=row.name, id=row.national_id,
                                        address=row.address, postline=row.postline))
    assert_held_for(guard, message, owner)


def assert_held_for(guard: Guard, message: EmailMessage, owner: int) -> None:
    """The message is held, attributed to ``owner``, and its verdict shows no raw id."""
    verdict = guard.check(message.as_bytes())
    assert verdict.action == "quarantine"
    assert customer_id(owner) in {attribution.customer_id for attribution in verdict.attributions}
    assert ROWS[owner].national_id not in verdict.to_json()

