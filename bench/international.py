"""International recall and false holds: 18 countries, data written as people there write it.

A customer table is generated with Faker in each country's locale (name,
street address, postcode, town), with phone numbers drawn from libphonenumber's
metadata for the country, dates of birth and each country's national id
(python-stdnum checksums; a UK driving licence for GB). The table holds the
values as a local CRM would (national phone format, local date order).

Half of the messages leak one customer's data to another customer, written
the way an agent in that country writes it, in its language: the phone in
national format (with a slash after the area code where the country writes one;
sometimes international, with + or 00), the address block
as the post prints it (on one line or several, with or without accents,
upper-case name), the date of birth in local order or with the month name in
the language, the national id after its usual label, the bank account (IBAN,
grouped or compact) a refund goes to. The other half are legitimate replies to
the customers themselves with their own data, order numbers, tracking numbers,
delivery dates and the agent's signature (the desk's phone, and the company's
own IBAN in every country that has them).

Addresses without a house number ("S/N") and postcodes Faker writes outside
the country's format are drawn again: the index reports and drops those, and
this benchmark measures matching, not Faker's data.

Prints recall per country and kind and false holds per country; writes
bench/results/international.json.

    .venv/bin/python bench/international.py [--per-country 200] [--seed 2026] [--quick]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import tempfile
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import phonenumbers
from faker import Faker
from lib import results, tables
from stdnum import iban
from stdnum.cz import rc
from stdnum.de import idnr
from stdnum.dk import cpr
from stdnum.ie import vat as ie_vat
from stdnum.iso7064 import mod_11_10
from stdnum.pt import nif

from crossguard.config import settings_from_dict
from crossguard.core.locales.addresses import street_line
from crossguard.core.locales.postcodes import compact as postcode_compact
from crossguard.core.private import write_private
from crossguard.index.build import build_index
from crossguard.index.customer_input import read_customers
from crossguard.scan import Guard

KEY_HEX = "c5" * 32


@dataclass(frozen=True)
class Country:
    """How a care agent in one country writes to customers."""

    locale: str
    language: str
    id_label: str
    #: Phone numbers written with a slash after the area code ("030/123456") now and then.
    phone_slash: bool = False


COUNTRIES: dict[str, Country] = {
    "US": Country("en_US", "en", "SSN"),
    "GB": Country("en_GB", "en", "Driving licence number:"),
    "IE": Country("en_IE", "en", "PPS number"),
    "ES": Country("es_ES", "es", "DNI"),
    "FR": Country("fr_FR", "fr", "Numéro de sécurité sociale :"),
    "DE": Country("de_DE", "de", "Steuer-ID:", phone_slash=True),
    "IT": Country("it_IT", "it", "Codice fiscale:"),
    "NL": Country("nl_NL", "nl", "BSN:"),
    "BE": Country("nl_BE", "nl", "Rijksregisternummer:", phone_slash=True),
    "PT": Country("pt_PT", "pt", "NIF"),
    "BR": Country("pt_BR", "pt", "CPF:"),
    "DK": Country("da_DK", "da", "CPR-nr.:"),
    "SE": Country("sv_SE", "sv", "Personnummer:"),
    "PL": Country("pl_PL", "pl", "PESEL:"),
    "NO": Country("no_NO", "no", "Fødselsnummer:"),
    "CH": Country("de_CH", "de", "AHV-Nr.:"),
    "AT": Country("de_AT", "de", "SV-Nummer:", phone_slash=True),
    "CZ": Country("cs_CZ", "cs", "Rodné číslo:"),
}

#: What an agent writes, per language: {name}, {phone}, {address}, {dob}, {iban}.
PHRASES: dict[str, dict[str, str]] = {
    "en": {"hello": "Dear {name},", "phone": "You can reach them on {phone}.",
           "address": "Please ship to:\n{address}", "dob": "{name}, date of birth {dob}.",
           "order": "Your order {order} left our warehouse on {date}; tracking {tracking}.",
           "refund": "We will refund the amount to the account {iban}.",
           "thanks": "Kind regards,\nCustomer Care"},
    "es": {"hello": "Estimado/a {name}:", "phone": "Puede llamarle al {phone}.",
           "address": "Envíe el paquete a:\n{address}", "dob": "{name}, fecha de nacimiento {dob}.",
           "order": "Su pedido {order} salió del almacén el {date}; seguimiento {tracking}.",
           "refund": "Le devolveremos el importe a la cuenta {iban}.",
           "thanks": "Un saludo,\nAtención al cliente"},
    "fr": {"hello": "Bonjour {name},", "phone": "Vous pouvez l'appeler au {phone}.",
           "address": "Merci d'expédier à :\n{address}", "dob": "{name}, né(e) le {dob}.",
           "order": "Votre commande {order} est partie le {date} ; suivi {tracking}.",
           "refund": "Nous rembourserons le montant sur le compte {iban}.",
           "thanks": "Cordialement,\nService client"},
    "de": {"hello": "Sehr geehrte/r {name},", "phone": "Sie erreichen die Person unter {phone}.",
           "address": "Bitte liefern an:\n{address}", "dob": "{name}, Geburtsdatum {dob}.",
           "order": "Ihre Bestellung {order} wurde am {date} versandt; Sendung {tracking}.",
           "refund": "Wir erstatten den Betrag auf das Konto {iban}.",
           "thanks": "Mit freundlichen Grüßen\nKundenservice"},
    "it": {"hello": "Gentile {name},", "phone": "Può chiamare il numero {phone}.",
           "address": "Spedire a:\n{address}", "dob": "{name}, data di nascita {dob}.",
           "order": "Il suo ordine {order} è partito il {date}; tracking {tracking}.",
           "refund": "Rimborseremo l'importo sul conto {iban}.",
           "thanks": "Cordiali saluti,\nServizio clienti"},
    "nl": {"hello": "Beste {name},", "phone": "U kunt bellen naar {phone}.",
           "address": "Graag verzenden naar:\n{address}", "dob": "{name}, geboortedatum {dob}.",
           "order": "Uw bestelling {order} is op {date} verzonden; track & trace {tracking}.",
           "refund": "We storten het bedrag terug op rekening {iban}.",
           "thanks": "Met vriendelijke groet,\nKlantenservice"},
    "pt": {"hello": "Caro(a) {name},", "phone": "Pode ligar para o {phone}.",
           "address": "Enviar para:\n{address}", "dob": "{name}, data de nascimento {dob}.",
           "order": "A sua encomenda {order} saiu a {date}; seguimento {tracking}.",
           "refund": "Vamos reembolsar o valor na conta {iban}.",
           "thanks": "Com os melhores cumprimentos,\nApoio ao cliente"},
    "da": {"hello": "Kære {name},", "phone": "Du kan ringe på {phone}.",
           "address": "Send venligst til:\n{address}", "dob": "{name}, fødselsdato {dob}.",
           "order": "Din ordre {order} blev sendt {date}; sporing {tracking}.",
           "refund": "Vi tilbagefører beløbet til kontoen {iban}.",
           "thanks": "Venlig hilsen\nKundeservice"},
    "sv": {"hello": "Hej {name},", "phone": "Du når personen på telefon {phone}.",
           "address": "Skicka till:\n{address}", "dob": "{name}, födelsedatum {dob}.",
           "order": "Din order {order} skickades {date}; spårning {tracking}.",
           "refund": "Vi återbetalar beloppet till kontot {iban}.",
           "thanks": "Vänliga hälsningar\nKundtjänst"},
    "pl": {"hello": "Szanowny Panie/Pani {name},", "phone": "Można dzwonić pod numer {phone}.",
           "address": "Proszę wysłać na adres:\n{address}", "dob": "{name}, data urodzenia {dob}.",
           "order": "Zamówienie {order} wysłano {date}; numer przesyłki {tracking}.",
           "refund": "Zwrócimy kwotę na rachunek {iban}.",
           "thanks": "Z poważaniem\nObsługa klienta"},
    "no": {"hello": "Hei {name},", "phone": "Du kan ringe på {phone}.",
           "address": "Vennligst send til:\n{address}", "dob": "{name}, fødselsdato {dob}.",
           "order": "Ordren din {order} ble sendt {date}; sporing {tracking}.",
           "refund": "Vi tilbakebetaler beløpet til kontoen {iban}.",
           "thanks": "Vennlig hilsen\nKundeservice"},
    "cs": {"hello": "Dobrý den, {name},", "phone": "Můžete volat na číslo {phone}.",
           "address": "Zásilku pošlete na adresu:\n{address}",
           "dob": "{name}, datum narození {dob}.",
           "order": "Vaše objednávka {order} byla odeslána {date}; sledování {tracking}.",
           "refund": "Částku vrátíme na účet {iban}.",
           "thanks": "S pozdravem\nZákaznický servis"},
}

#: Month names as written in a date of birth, per language (index = month - 1).
MONTHS = {
    "en": "January February March April May June July August September October November "
          "December",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
          "diciembre",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre "
          "décembre",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre "
          "novembre dicembre",
    "nl": "januari februari maart april mei juni juli augustus september oktober november "
          "december",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro "
          "dezembro",
    "no": "januar februar mars april mai juni juli august september oktober november desember",
    "cs": "ledna února března dubna května června července srpna září října listopadu "
          "prosince",
}


@dataclass
class Customer:
    """One generated customer and the way its values are written."""

    customer_id: str
    country: str
    name: str
    email: str
    phone: str  # national format, as a CRM of that country holds it
    street: str
    postline: str  # postcode and town as the post prints them
    postcode: str
    dob: dt.date
    national_id: str
    iban: str  # compact; "" where the country has no IBAN (US)


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def random_phone(region: str, rng: random.Random) -> phonenumbers.PhoneNumber:
    """A valid mobile or fixed-line number of ``region`` (libphonenumber's example, varied)."""
    kinds = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE)
    example = phonenumbers.example_number_for_type(region, rng.choice(kinds))
    assert example is not None
    national = phonenumbers.national_significant_number(example)  # Italy keeps its 0
    for _ in range(1000):
        tail = "".join(rng.choice("0123456789") for _ in range(4))
        number = phonenumbers.parse(f"+{example.country_code}{national[:-4]}{tail}")
        if phonenumbers.is_valid_number_for_region(number, region):
            return number
    return example


def national_id(country: str, faker: Faker, dob: dt.date, name: str, rng: random.Random) -> str:
    """A valid national id of ``country`` as people write it."""
    digits = "0123456789"
    if country == "US":
        return str(faker.ssn())
    if country == "GB":  # DVLA layout: surname, decade, month, day, year, initials, 9, check
        surname = "".join(ch for ch in strip_accents(name.split()[-1]).upper() if ch.isalpha())
        initials = strip_accents(name.split()[0])[0].upper() + "9"
        return (f"{surname[:5]:9<5}{dob.year % 100 // 10}{dob.month:02d}{dob.day:02d}"
                f"{dob.year % 10}{initials}9{rng.choice('ABCDEFGHJK')}{rng.choice('LMNPRSTW')}")
    if country == "IE":
        body = "".join(rng.choice(digits) for _ in range(7))
        return body + ie_vat.calc_check_digit(body)  # PPS uses the VAT check letter
    if country == "ES":
        return str(faker.nif())
    if country == "DE":
        while True:
            body = rng.choice("123456789") + "".join(rng.choice(digits) for _ in range(9))
            number = body + mod_11_10.calc_check_digit(body)
            if idnr.is_valid(number):
                return f"{number[:2]} {number[2:5]} {number[5:8]} {number[8:]}"
    if country == "PT":
        body = rng.choice("123") + "".join(rng.choice(digits) for _ in range(7))
        number = body + nif.calc_check_digit(body)
        return f"{number[:3]} {number[3:6]} {number[6:]}"
    if country == "BR":
        return str(faker.cpf())
    if country == "DK":
        while True:
            number = f"{dob:%d%m%y}-{''.join(rng.choice(digits) for _ in range(4))}"
            if cpr.is_valid(number):
                return number
    if country == "NL":
        bsn = str(faker.ssn())
        return f"{bsn[:4]}.{bsn[4:6]}.{bsn[6:]}" if rng.random() < 0.3 else bsn
    if country in ("NO", "AT"):  # "151086 95088", "1237 010180": grouped or not
        number, at = str(faker.ssn()), 6 if country == "NO" else 4
        return f"{number[:at]} {number[at:]}" if rng.random() < 0.5 else number
    if country == "CZ":
        while not rc.is_valid(number := str(faker.birth_number())):
            pass
        return number
    return str(faker.ssn())  # FR NIR, IT codice fiscale, BE national number, SE, PL, CH AHV


def random_iban(country: str, faker: Faker, rng: random.Random) -> str:
    """A valid IBAN of ``country`` (Faker's, or a random Swedish one); "" for the US."""
    if country == "US":
        return ""
    if country == "SE":  # Faker has no Swedish bank account provider
        bban = "".join(rng.choice("0123456789") for _ in range(20))
        return f"SE{iban.calc_check_digits(f'SE00{bban}')}{bban}"
    return str(faker.iban())


def written_iban(customer: Customer, rng: random.Random) -> str:
    """The IBAN in groups of four (as banks print it) or compact."""
    return iban.format(customer.iban) if rng.random() < 0.6 else customer.iban


def generate(country: str, count: int, seed: int) -> list[Customer]:
    """``count`` customers of ``country`` from Faker's locale."""
    spec = COUNTRIES[country]
    faker = Faker(spec.locale)
    faker.seed_instance(seed)
    rng = random.Random(f"{seed}-{country}")
    customers = []
    phones: set[str] = set()
    for number in range(count):
        first, last = faker.first_name(), faker.last_name()
        if country == "ES" and rng.random() < 0.5:
            last = f"{last} {faker.last_name()}"  # two surnames
        name = f"{first} {last}"
        street = faker.street_address()
        while not any(ch.isdigit() for ch in street) or not street_line(street):
            street = faker.street_address()
        postcode = faker.postcode()
        while postcode_compact(postcode, country) is None:
            postcode = faker.postcode()
        town = faker.city()
        if country == "US":
            postline = f"{town}, {faker.state_abbr()} {postcode}"
        elif country in ("GB", "IE"):
            postline = f"{town}\n{postcode}"
        elif country == "BR":
            postline = f"{postcode} {town} - {faker.state_abbr()}"
        else:
            postline = f"{postcode} {town}"
        phone = phonenumbers.format_number(random_phone(country, rng),
                                           phonenumbers.PhoneNumberFormat.NATIONAL)
        while phone in phones:  # one customer per number (a shared number is not a leak)
            phone = phonenumbers.format_number(random_phone(country, rng),
                                               phonenumbers.PhoneNumberFormat.NATIONAL)
        phones.add(phone)
        dob = faker.date_of_birth(minimum_age=18, maximum_age=90)
        customers.append(Customer(
            f"{country}-{number:05d}", country, name,
            f"{strip_accents(first).lower()}.{number}@{country.lower()}.example.net",
            phone, street, postline, postcode, dob, national_id(country, faker, dob, name, rng),
            random_iban(country, faker, rng),
        ))
    return customers


def numeric_date(country: str, date: dt.date) -> str:
    """A date of birth as the country writes it in digits."""
    if country == "US":
        return f"{date:%m/%d/%Y}"
    if country == "SE":
        return date.isoformat()
    if country in ("DE", "DK", "PL", "NO", "CH", "AT", "CZ"):
        return f"{date:%d.%m.%Y}"
    if country == "NL":
        return f"{date:%d-%m-%Y}"
    return f"{date:%d/%m/%Y}"


def written_date(country: str, date: dt.date, rng: random.Random) -> str:
    """The date of birth in a message: digits, or the month's name in the language."""
    language = COUNTRIES[country].language
    if language not in MONTHS or rng.random() < 0.6:
        return numeric_date(country, date)
    month = MONTHS[language].split()[date.month - 1]
    if language == "en":
        return f"{month} {date.day}, {date.year}" if country == "US" else (
            f"{date.day} {month} {date.year}")
    if language in ("es", "pt"):
        return f"{date.day} de {month} de {date.year}"
    if language in ("de", "no", "cs"):
        return f"{date.day}. {month} {date.year}"
    return f"{date.day} {month} {date.year}"


def written_phone(customer: Customer, rng: random.Random) -> str:
    number = phonenumbers.parse(customer.phone, customer.country)
    roll = rng.random()
    if roll < 0.3 and COUNTRIES[customer.country].phone_slash:
        return customer.phone.replace(" ", "/", 1)  # "030/123456", as many agents there write
    if roll < 0.6:
        return customer.phone
    international = phonenumbers.format_number(number,
                                               phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    if roll < 0.8:
        return international
    if roll < 0.9:
        return "00" + international[1:]
    return "".join(ch for ch in customer.phone if ch.isdigit())


def written_address(customer: Customer, rng: random.Random) -> str:
    name = customer.name.upper() if rng.random() < 0.2 else customer.name
    block = f"{name}\n{customer.street}\n{customer.postline}"
    if rng.random() < 0.3:
        block = ", ".join(line.strip() for line in block.splitlines())
    if rng.random() < 0.3:
        block = strip_accents(block)
    return block


KINDS: dict[str, Callable[[Customer, random.Random, dict[str, str]], str]] = {
    "PHONE": lambda c, r, p: p["phone"].format(phone=written_phone(c, r)),
    "ADDRESS": lambda c, r, p: p["address"].format(address=written_address(c, r)),
    "DOB": lambda c, r, p: p["dob"].format(
        name=strip_accents(c.name) if r.random() < 0.3 else c.name,
        dob=written_date(c.country, c.dob, r)),
    "NATIONAL_ID": lambda c, r, p: f"{COUNTRIES[c.country].id_label} {c.national_id}",
    "IBAN": lambda c, r, p: p["refund"].format(iban=written_iban(c, r)),
}


def kinds_of(country: str) -> list[str]:
    """The kinds a leak in ``country`` carries (no IBAN in the US)."""
    return [kind for kind in KINDS if kind != "IBAN" or country != "US"]


def compose(recipient: Customer, data: str, rng: random.Random, agent_phone: str) -> bytes:
    """An agent's message to ``recipient`` carrying ``data``, in the recipient's language;
    ``agent_phone`` is the signature (the desk's phone, and its IBAN where there is one)."""
    phrases = PHRASES[COUNTRIES[recipient.country].language]
    order = phrases["order"].format(
        order=f"{rng.randrange(10**7, 10**8)}",
        date=numeric_date(recipient.country, dt.date(2026, rng.randrange(1, 13),
                                                     rng.randrange(1, 29))),
        tracking=f"{rng.randrange(10**11, 10**12)}",
    )
    body = (f"{phrases['hello'].format(name=recipient.name.split()[0])}\n\n{data}\n\n{order}\n\n"
            f"{phrases['thanks']}\n{agent_phone}\n")
    message = EmailMessage()
    message["From"] = "care@example.com"
    message["To"] = recipient.email
    message["Subject"] = "Re: your order"
    message.set_content(body)
    return message.as_bytes()


def write_table(customers: list[Customer], path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["customer_id", "name", "email", "phone", "address", "postcode",
                         "country", "dob", "driver_licence", "national_id", "iban"])
        for c in customers:
            licence = c.national_id if c.country == "GB" else ""
            national = "" if c.country == "GB" else c.national_id
            writer.writerow([c.customer_id, c.name, c.email, c.phone, c.street, c.postcode,
                             c.country, numeric_date(c.country, c.dob), licence, national,
                             c.iban])
    return path


def run(per_country: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    by_country = {code: generate(code, per_country, seed) for code in COUNTRIES}
    customers = [c for group in by_country.values() for c in group]
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rules_on_legitimate: dict[str, int] = defaultdict(int)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        write_private(folder / "key", KEY_HEX)
        settings = settings_from_dict({
            "key_file": str(folder / "key"), "index": {"path": str(folder / "ix")},
            "policy": {"company_domains": ["example.com"],
                       "rules": {"bulk_send": {"enabled": False}}},
        })
        report = build_index(read_customers(write_table(customers, folder / "c.csv")),
                             folder / "ix", settings.secret_key())
        guard = Guard.from_settings(settings)
        started = time.perf_counter()
        messages = 0
        for country, group in by_country.items():
            customer_phones = {customer.phone for customer in group}
            agent_phone = ""
            while not agent_phone or agent_phone in customer_phones:  # the desk's own number
                agent_phone = phonenumbers.format_number(random_phone(country, rng),
                                                         phonenumbers.PhoneNumberFormat.NATIONAL)
            desk_faker = Faker(COUNTRIES[country].locale)
            desk_faker.seed_instance(f"{seed}-{country}-desk")
            desk = random_iban(country, desk_faker, rng)
            assert desk not in {customer.iban for customer in group if customer.iban}
            if desk:  # the company's own account, on every message: no one's data
                agent_phone += f"\nIBAN {iban.format(desk)}"
            phrases = PHRASES[COUNTRIES[country].language]
            kinds = kinds_of(country)
            for number in range(per_country * 2):
                kind = kinds[number // 2 % len(kinds)]
                leaking = number % 2 == 1
                recipient = group[number // 2 % len(group)]
                owner = rng.choice([c for c in group[:50] if c is not recipient])
                subject = owner if leaking else recipient
                raw = compose(recipient, KINDS[kind](subject, rng, phrases), rng, agent_phone)
                verdict = guard.check(raw, mail_from="care@example.com",
                                      rcpts=[recipient.email])
                messages += 1
                row = counts[country]
                if leaking:
                    caught = any(rule.rule == "cross_customer"
                                 and owner.customer_id in rule.customers
                                 for rule in verdict.rules)
                    row["leaks"] += 1
                    row["caught"] += caught
                    row[f"leaks_{kind}"] += 1
                    row[f"caught_{kind}"] += caught
                else:
                    row["legit"] += 1
                    row["false_holds"] += verdict.held
                    for rule in verdict.rules:
                        rules_on_legitimate[f"{country}:{rule.rule}"] += 1
        seconds = time.perf_counter() - started
    per_country_result = {
        country: {
            "leaks": row["leaks"], "recall": row["caught"] / max(row["leaks"], 1),
            "recall_by_kind": {kind: row[f"caught_{kind}"] / row[f"leaks_{kind}"]
                               for kind in KINDS if row[f"leaks_{kind}"]},
            "legit": row["legit"], "false_holds": row["false_holds"],
            "false_hold_rate": row["false_holds"] / max(row["legit"], 1),
        }
        for country, row in counts.items()
    }
    leaks = sum(row["leaks"] for row in counts.values())
    legit = sum(row["legit"] for row in counts.values())
    return {
        "countries": list(COUNTRIES), "customers": len(customers), "messages": messages,
        "recall": sum(row["caught"] for row in counts.values()) / leaks,
        "false_hold_rate": sum(row["false_holds"] for row in counts.values()) / legit,
        "messages_per_s": round(messages / seconds, 1),
        "index_build": {
            "rows": report.rows, "customers": report.customers,
            "dropped": {name: dict(field.dropped) for name, field in report.fields.items()
                        if field.dropped},
        },
        "per_country": per_country_result,
        "rules_on_legitimate": dict(rules_on_legitimate),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-country", type=int, default=200,
                        help="customers per country; as many leaks and legitimate replies")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--quick", action="store_true", help="50 customers per country")
    args = parser.parse_args()
    result = run(50 if args.quick else args.per_country, args.seed)
    headers = ["country", "leaks", "recall", *(f"recall {kind}" for kind in KINDS), "legit",
               "false holds"]
    rows = [[country, row["leaks"], round(row["recall"], 4),
             *(round(row["recall_by_kind"][kind], 3) if kind in row["recall_by_kind"] else "-"
               for kind in KINDS), row["legit"],
             row["false_holds"]]
            for country, row in result["per_country"].items()]
    rows.append(["all", sum(r[1] for r in rows), round(result["recall"], 4),
                 *([""] * len(KINDS)), sum(r[-2] for r in rows), sum(r[-1] for r in rows)])
    tables.print_table(f"International: {len(COUNTRIES)} countries, {result['customers']} "
                       f"customers, {result['messages']} messages", headers, rows)
    print(f"false hold rate {result['false_hold_rate']:.4%}; index build dropped: "
          f"{result['index_build']['dropped'] or 'nothing'}; "
          f"rules on legitimate mail: {result['rules_on_legitimate'] or 'none'}; "
          f"{result['messages_per_s']} messages/s")
    results.write_result("international", result, quick=args.quick)


if __name__ == "__main__":
    main()
