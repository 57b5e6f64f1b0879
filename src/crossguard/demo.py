"""The incident replay: a verification campaign through a misconfigured support list.

Generates customers, builds the index, writes the routing directory with the
support list whose members are customers, then sends every stage of the
incident through the guard next to ordinary one-to-one mail.
"""

from __future__ import annotations

import csv
import json
import secrets
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from crossguard.config import Settings, settings_from_dict
from crossguard.core.private import open_private, private_parents, write_private
from crossguard.index.build import build_index
from crossguard.index.customer_input import read_customers
from crossguard.policy.verdict import Verdict
from crossguard.scan import Guard
from crossguard.synth import mail
from crossguard.synth.archive import write_archive
from crossguard.synth.customers import Customer, generate_customers, pick, write_customers_csv

CUSTOMERS = 1_000
CAMPAIGN_SIZE = 200
REPLIES = 70
#: Every PHOTO_EVERY-th reply attaches a photo of the licence instead of typing its number.
PHOTO_EVERY = 7
#: Messages in the demo's incident archive: the incident plus ordinary traffic.
ARCHIVE_MESSAGES = 1_000


@dataclass(slots=True)
class Stage:
    """One step of the replay and what the guard did with its messages."""

    title: str
    expected: str
    actions: Counter[str] = field(default_factory=Counter)
    rules: Counter[str] = field(default_factory=Counter)
    example: Verdict | None = None

    def record(self, verdict: Verdict) -> None:
        self.actions[verdict.action] += 1
        self.rules.update(rule.rule for rule in verdict.rules)
        if self.example is None or (verdict.held and not self.example.held):
            self.example = verdict


def prepare(workdir: Path, seed: int = 7) -> tuple[Settings, list[Customer]]:
    """Customers, key, index and directory in ``workdir``; the demo's Settings."""
    private_parents(workdir / "crossguard.toml")
    customers = generate_customers(CUSTOMERS, seed)
    csv_path = write_customers_csv(customers, workdir / "customers.csv")
    key_file = workdir / "crossguard.key"
    if not key_file.exists():
        write_private(key_file, secrets.token_hex(32))
    members = customers[:CAMPAIGN_SIZE]
    directory = {
        "groups": [{
            "address": mail.SUPPORT_LIST,
            "members": [member.email for member in members] + [mail.AGENT],
            "owners": [mail.AGENT],
            "who_can_post": "anyone",
            "reply_to": "list",
        }]
    }
    write_private(workdir / "directory.json", json.dumps(directory, indent=2))
    write_postfix_virtual(workdir / "virtual", [member.email for member in members])
    settings = settings_from_dict(
        {
            "key_file": "crossguard.key",
            "index": {"path": "index"},
            "policy": {"company_domains": [mail.COMPANY_DOMAIN], "directory": ["directory.json"]},
            "store": {"url": f"sqlite:///{workdir / 'crossguard.db'}"},
        },
        source=workdir / "crossguard.toml",
    )
    assert settings.index.path is not None
    build_index(read_customers(csv_path), settings.index.path, settings.secret_key())
    return settings, customers


def write_postfix_virtual(path: Path, members: list[str]) -> None:
    """The support list as the mail server's alias (Postfix virtual(5)), mode 0600.

    The routing audit reads it: ``crossguard routing audit --postfix-virtual virtual``.
    """
    body = ",\n    ".join([*members, mail.AGENT])
    text = ("# Postfix virtual(5) source: the pre-order support list\n"
            f"{mail.SUPPORT_LIST}    {body}\n")
    write_private(path, text)


def write_incident_files(workdir: Path, customers: list[Customer],
                         messages: int = ARCHIVE_MESSAGES) -> tuple[Path, Path, Path]:
    """The incident's mail archive, a contacts file and a crossguard.toml, for `incident scan`.

    The contacts file has each customer's id and email: where their letter goes.
    """
    archive = workdir / "incident-archive.mbox"
    write_archive(archive, customers, messages=messages)
    contacts = workdir / "contacts.csv"
    with open_private(contacts, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("customer_id", "email"))
        writer.writerows((customer.customer_id, customer.email) for customer in customers)
    config = workdir / "crossguard.toml"
    if not config.exists():
        write_private(
            config,
            'key_file = "crossguard.key"\n\n[index]\npath = "index"\n\n[policy]\n'
            f'company_domains = ["{mail.COMPANY_DOMAIN}"]\ndirectory = ["directory.json"]\n')
    return archive, contacts, config


def stages(customers: list[Customer]) -> Iterator[tuple[Stage, list[mail.Outbound]]]:
    """The incident, stage by stage, then the ordinary mail that must pass."""
    members = customers[:CAMPAIGN_SIZE]
    repliers = pick(members, REPLIES, seed=11)
    yield Stage("campaign with every customer visible in To", "quarantine"), [
        mail.campaign(members, visible=True)
    ]
    yield Stage("campaign in Bcc, Reply-To is the support list", "quarantine"), [
        mail.campaign(members, visible=False)
    ]
    replies = [
        mail.customer_reply(c, seed=n, licence_photo=licence_photo(c, n) if n % PHOTO_EVERY == 0
                            else None)
        for n, c in enumerate(repliers)
    ]
    title = f"{REPLIES} customer replies (1 in {PHOTO_EVERY} with a licence photo) redistributed"
    yield Stage(title, "quarantine"), [
        mail.redistributed(reply, members) for reply in replies
    ]
    yield Stage("customer replies reaching the support team only", "allow"), [
        mail.customer_to_support(c, seed=n) for n, c in enumerate(repliers[:20])
    ]
    yield Stage("one-to-one answers quoting the customer's own data", "allow"), [
        mail.support_reply(c, seed=n) for n, c in enumerate(customers[300:350])
    ]


def licence_photo(customer: Customer, number: int) -> bytes:
    """A phone photo of the customer's licence, front or back (OCR or PDF417 barcode)."""
    from crossguard.synth.idimages import licence_image
    from crossguard.synth.photo import PhotoStyle, phone_photo

    side = "back" if number % 2 == 0 else "front"
    image = licence_image(customer.name.replace(".", ""), customer.address,
                          customer.driver_licence, date.fromisoformat(customer.dob), side=side)
    return phone_photo(image, PhotoStyle(), seed=number)


def replay(guard: Guard, customers: list[Customer],
           progress: Callable[[Stage, int], None] | None = None) -> list[Stage]:
    """Send every stage through ``guard``."""
    done = []
    for stage, messages in stages(customers):
        for outbound in messages:
            stage.record(guard.check(outbound.raw, mail_from=outbound.mail_from,
                                     rcpts=list(outbound.rcpts)))
        if progress:
            progress(stage, len(messages))
        done.append(stage)
    return done
