"""Notification letters: one .eml per affected customer, from a Jinja2 template.

The package's ``letter.txt.j2`` by default, or the company's own template file.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

from jinja2 import (
    ChoiceLoader,
    DictLoader,
    Environment,
    PackageLoader,
    StrictUndefined,
    TemplateSyntaxError,
    UndefinedError,
)

from crossguard.core.private import private_dir, write_private
from crossguard.errors import ConfigError
from crossguard.incident.graph import Affected

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")
SUBJECT = "Important: an incident involving your personal data"
LETTER_TEMPLATE = "letter.txt.j2"


@dataclass(frozen=True, slots=True)
class Contact:
    """Where a customer's letter goes and the remediation offer for them (both optional)."""

    email: str | None = None
    enrollment_code: str | None = None


def read_contacts(path: Path | None) -> dict[str, Contact]:
    """``customer_id`` plus optional ``email`` and ``enrollment_code`` columns."""
    if path is None:
        return {}
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            if "customer_id" not in (reader.fieldnames or []):
                raise ConfigError(f"{path}: needs a customer_id column")
            return {
                row["customer_id"].strip(): Contact(
                    (row.get("email") or "").strip() or None,
                    (row.get("enrollment_code") or "").strip() or None,
                )
                for row in reader if (row.get("customer_id") or "").strip()
            }
    except OSError as error:
        raise ConfigError(f"{path}: cannot read contacts ({error.strerror})") from None


def environment(letter_template: Path | None = None) -> Environment:
    """The package's templates, ``letter_template`` replacing the letter when given.

    HTML is autoescaped, text verbatim, an undefined name is an error.
    """
    loader: PackageLoader | ChoiceLoader = PackageLoader("crossguard.incident", "templates")
    if letter_template is not None:
        try:
            text = letter_template.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"{letter_template}: cannot read the letter template "
                              f"({type(error).__name__})") from None
        loader = ChoiceLoader([DictLoader({LETTER_TEMPLATE: text}), loader])
    env = Environment(loader=loader,
                      autoescape=lambda name: bool(name and name.endswith(".html.j2")),
                      undefined=StrictUndefined, keep_trailing_newline=True)
    try:
        env.get_template(LETTER_TEMPLATE)
    except TemplateSyntaxError as error:
        raise ConfigError(f"{letter_template}: line {error.lineno}: {error.message}") from None
    return env


def letter(customer: Affected, contact: Contact, *, company: str, sender: str,
           env: Environment) -> EmailMessage:
    """The notification letter for one affected customer (masked values only).

    A template may ``{% set subject = "..." %}`` to replace the default Subject.
    """
    dates = [edge.first for edge in customer.edges if edge.first]
    lasts = [max(edge.dates) for edge in customer.edges if edge.dates]
    first, last = min(dates, default=None), max(lasts, default=None)
    try:
        module = env.get_template(LETTER_TEMPLATE).make_module({
            "company": company,
            "contact": sender,
            "period": _period(first, last),
            "messages": len(customer.message_ids),
            "recipients": len(customer.edges),
            "kinds": [_words(kind) for kind in customer.kinds],
            "evidence": [f"{_words(kind)} {masked}" for kind, masked in customer.evidence],
            "enrollment_code": contact.enrollment_code,
            "customer_id": customer.customer_id,
            "first_exposure": first,
            "last_exposure": last,
            "to": contact.email,
        })
        text = str(module)
        subject = " ".join(str(getattr(module, "subject", SUBJECT)).split()) or SUBJECT
    except UndefinedError as error:  # names the missing variable, never a value
        raise ConfigError(f"letter template: {error.message}") from None
    except Exception as error:  # a template's own mistake; its message could quote data
        raise ConfigError(f"letter template: {type(error).__name__} while rendering a letter") \
            from None
    message = EmailMessage()
    message["From"] = f"{company} <{sender}>"
    if contact.email:
        message["To"] = contact.email
    message["Subject"] = subject
    message["X-Crossguard-Customer"] = customer.customer_id
    message.set_content(text, cte="8bit")
    return message


def write_letters(folder: Path, affected: list[Affected], contacts: dict[str, Contact], *,
                  company: str, sender: str, env: Environment | None = None) -> list[Path]:
    """``folder/<customer_id>.eml`` for every affected customer, all rendered before any write."""
    env = env or environment()
    rendered = [(folder / f"{letter_name(customer.customer_id)}.eml",
                 letter(customer, contacts.get(customer.customer_id, Contact()),
                        company=company, sender=sender, env=env).as_bytes())
                for customer in affected]
    private_dir(folder)
    for path, data in rendered:
        write_private(path, data)
    return [path for path, _ in rendered]


def letter_name(customer_id: str) -> str:
    """A file name for a customer id (unsafe characters replaced)."""
    return _UNSAFE.sub("_", customer_id) or "_"


def _words(kind: str) -> str:
    return kind.lower().replace("_", " ")


def _period(first: datetime | None, last: datetime | None) -> str:
    """``on 4 March 2026`` or ``between 2 March 2026 and 4 March 2026``."""
    if first is None or last is None:
        return "recently"
    start, end = (f"{day.day} {day:%B %Y}" for day in (first, last))
    return f"on {start}" if start == end else f"between {start} and {end}"
