"""Notification letters: one addressed .eml per affected customer, in their language.

Rendered from the package's ``letter.<language>.txt.j2`` (en, de, es), or
from the company's own template for every language. A letter goes only to a
customer the contacts file gives an email for; the others are listed in
letters-missing-contacts.csv, never written as unaddressed mail. What the
company did or offers appears only where it is configured (:mod:`branding`).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from hashlib import blake2b
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    DictLoader,
    Environment,
    PackageLoader,
    StrictUndefined,
    TemplateSyntaxError,
    UndefinedError,
)

from crossguard.errors import ConfigError
from crossguard.incident import wording
from crossguard.incident.branding import Branding
from crossguard.incident.contacts import Contact
from crossguard.incident.graph import Affected
from crossguard.incident.residence import Residence, letter_language

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")
SUBJECT = "Important: an incident involving your personal data"
#: The company's own template, when given, replaces every language's letter.
CUSTOM_TEMPLATE = "letter.custom.txt.j2"
MISSING_FILE = "letters-missing-contacts.csv"
NO_CONTACTS_FILE = "no contacts file given"
NO_EMAIL = "no email for this customer in the contacts file"


@dataclass(slots=True)
class Letters:
    """Rendered letters by file name, and the customers who got none (with the reason)."""

    files: dict[str, bytes] = field(default_factory=dict)
    missing: list[tuple[str, str]] = field(default_factory=list)
    languages: dict[str, str] = field(default_factory=dict)

    def missing_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(("customer_id", "reason"))
        writer.writerows(self.missing)
        return buffer.getvalue()


def environment(letter_template: Path | None = None) -> Environment:
    """The package's templates, ``letter_template`` added as the custom letter when given.

    HTML is autoescaped, text verbatim, an undefined name is an error.
    """
    loader: PackageLoader | ChoiceLoader = PackageLoader("crossguard.incident", "templates")
    if letter_template is not None:
        try:
            text = letter_template.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"{letter_template}: cannot read the letter template "
                              f"({type(error).__name__})") from None
        loader = ChoiceLoader([DictLoader({CUSTOM_TEMPLATE: text}), loader])
    env = Environment(loader=loader,
                      autoescape=lambda name: bool(name and name.endswith(".html.j2")),
                      undefined=StrictUndefined, keep_trailing_newline=True)
    env.globals["custom_letter"] = letter_template is not None
    try:
        if letter_template is not None:
            env.get_template(CUSTOM_TEMPLATE)
    except TemplateSyntaxError as error:
        raise ConfigError(f"{letter_template}: line {error.lineno}: {error.message}") from None
    return env


def language_for(contact: Contact, residence: Residence, default: str) -> str:
    """The contact's language, else the country's, else ``default`` (each only if available)."""
    available = wording.languages()
    for choice in (contact.language, letter_language(residence.country), default):
        if choice in available:
            return choice
    return wording.DEFAULT_LANGUAGE


def letter(customer: Affected, contact: Contact, *, branding: Branding, language: str,
           issued_at: datetime, env: Environment) -> EmailMessage:
    """The notification letter for one affected customer (masked values only).

    A template may ``{% set subject = "..." %}`` to replace the default Subject.
    """
    name = CUSTOM_TEMPLATE if env.globals.get("custom_letter") else f"letter.{language}.txt.j2"
    branding = branding.in_language(language)
    try:
        module = env.get_template(name).make_module(
            _variables(customer, contact, branding, language, issued_at))
        text = str(module)
        subject = " ".join(str(getattr(module, "subject", SUBJECT)).split()) or SUBJECT
    except UndefinedError as error:  # names the missing variable, never a value
        raise ConfigError(f"letter template: {error.message}") from None
    except Exception as error:  # a template's own mistake; its message could quote data
        raise ConfigError(f"letter template: {type(error).__name__} while rendering a letter") \
            from None
    message = EmailMessage()
    if branding.sender:
        message["From"] = f"{branding.company} <{branding.sender}>"
    if contact.email:
        message["To"] = contact.email
    message["Subject"] = subject
    message["Date"] = format_datetime(issued_at)
    message["Message-ID"] = message_id("letter", customer.customer_id, issued_at, branding)
    message["X-Crossguard-Customer"] = customer.customer_id
    message.set_content(text, cte="8bit")
    message["Content-Language"] = language
    return message


def render_letters(affected: list[Affected], contacts: dict[str, Contact] | None,
                   residences: dict[str, Residence], *, branding: Branding,
                   issued_at: datetime, env: Environment) -> Letters:
    """Letters for every affected customer with an email; the rest listed with the reason.

    ``contacts`` is None when no contacts file was given.
    """
    result = Letters()
    for customer in affected:
        contact = (contacts or {}).get(customer.customer_id, Contact())
        if contact.email is None:
            result.missing.append((customer.customer_id,
                                   NO_CONTACTS_FILE if contacts is None else NO_EMAIL))
            continue
        residence = contact.residence.merged(residences.get(customer.customer_id, Residence()))
        language = language_for(contact, residence, branding.language)
        result.languages[customer.customer_id] = language
        result.files[f"{letter_name(customer.customer_id)}.eml"] = letter(
            customer, contact, branding=branding, language=language, issued_at=issued_at,
            env=env).as_bytes()
    return result


def letter_name(customer_id: str) -> str:
    """A file name for a customer id (unsafe characters replaced)."""
    return _UNSAFE.sub("_", customer_id) or "_"


def message_id(kind: str, key: str, issued_at: datetime, branding: Branding) -> str:
    """A Message-ID that is the same on every render with the same options."""
    digest = blake2b(f"{kind}|{key}|{issued_at.isoformat()}".encode(),
                     digest_size=12).hexdigest()
    domain = (branding.sender or "").rpartition("@")[2] or "crossguard.invalid"
    return f"<{kind}.{digest}@{domain}>"


def period(first: datetime | None, last: datetime | None) -> str:
    """``on 4 March 2026`` or ``between 2 March 2026 and 4 March 2026``."""
    if first is None or last is None:
        return "recently"
    start, end = (f"{day.day} {day:%B %Y}" for day in (first, last))
    return f"on {start}" if start == end else f"between {start} and {end}"


def _variables(customer: Affected, contact: Contact, branding: Branding, language: str,
               issued_at: datetime) -> dict[str, Any]:
    dates = [edge.first for edge in customer.edges if edge.first]
    lasts = [max(edge.dates) for edge in customer.edges if edge.dates]
    first, last = min(dates, default=None), max(lasts, default=None)
    kinds = customer.kinds
    return {
        "company": branding.company,
        "contact": branding.contact,
        "dpo_contact": branding.dpo_contact,
        "remediation_offer": branding.remediation_offer,
        "disabled_address": branding.disabled_address,
        "measures": list(branding.measures),
        "enrollment_code": contact.enrollment_code if branding.remediation_offer else None,
        "customer_id": customer.customer_id,
        "to": contact.email,
        "language": language,
        "issued_at": issued_at,
        "period": period(first, last),
        "first_exposure": first,
        "last_exposure": last,
        "messages": len(customer.message_ids),
        "recipients": len(customer.edges),
        "kinds": list(dict.fromkeys(wording.word(kind, language) for kind in kinds)),
        "evidence": [f"{wording.word(kind, language)} {masked}"
                     for kind, masked in customer.evidence],
        "consequences": wording.consequences(kinds, language),
        "advice": wording.advice(kinds, language),
    }
