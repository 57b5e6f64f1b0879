"""Shared fixtures: a secret key in the environment, generated customers, a built index."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crossguard.config import Settings, settings_from_dict
from crossguard.incident.branding import Branding
from crossguard.incident.graph import build_graph
from crossguard.incident.report import write_outputs
from crossguard.incident.results import RenderOptions, write_results
from crossguard.incident.worker import Hit, Outcome
from crossguard.index.build import build_index
from crossguard.index.customer_input import read_customers
from crossguard.synth.customers import Customer, generate_customers, write_customers_csv

TEST_KEY_HEX = "5eed" * 16


@pytest.fixture(autouse=True)
def index_key(monkeypatch: pytest.MonkeyPatch) -> bytes:
    """Every test runs with a known index key in $CROSSGUARD_KEY."""
    monkeypatch.setenv("CROSSGUARD_KEY", TEST_KEY_HEX)
    return bytes.fromhex(TEST_KEY_HEX)


@pytest.fixture(scope="session")
def customers() -> list[Customer]:
    return generate_customers(300, seed=42)


@pytest.fixture(scope="session")
def built_index(tmp_path_factory: pytest.TempPathFactory, customers: list[Customer]) -> Path:
    """An index of the session's customers, built once."""
    folder = tmp_path_factory.mktemp("index")
    csv_path = write_customers_csv(customers, folder / "customers.csv")
    build_index(read_customers(csv_path), folder / "index", bytes.fromhex(TEST_KEY_HEX))
    return folder / "index"


@pytest.fixture
def make_settings(built_index: Path) -> Callable[..., Settings]:
    """Settings with the company domain example.com and the session's index."""

    def make(**policy: object) -> Settings:
        return settings_from_dict(
            {"index": {"path": str(built_index)},
             "policy": {"company_domains": ["example.com"], **policy}}
        )

    return make


@pytest.fixture
def make_mail() -> Callable[..., bytes]:
    """Raw message bytes from a few fields (stdlib email, RFC 5322)."""
    from email.message import EmailMessage

    def make(body: str, *, sender: str = "care@example.com", to: tuple[str, ...] = (),
             cc: tuple[str, ...] = (), reply_to: str | None = None, subject: str = "Hello",
             attachments: tuple[tuple[str, bytes, str], ...] = (),
             in_reply_to: str | None = None) -> bytes:
        message = EmailMessage()
        message["From"] = sender
        if to:
            message["To"] = ", ".join(to)
        if cc:
            message["Cc"] = ", ".join(cc)
        if reply_to:
            message["Reply-To"] = reply_to
        message["Subject"] = subject
        message["Message-ID"] = "<test@example.com>"
        if in_reply_to:
            message["In-Reply-To"] = in_reply_to
        message.set_content(body)
        for filename, data, mime_type in attachments:
            maintype, subtype = mime_type.split("/")
            message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
        return message.as_bytes()

    return make


#: When the company became aware of the incident ``write_incident`` writes.
INCIDENT_AWARE = "2026-03-05T08:30:00+00:00"


@pytest.fixture
def write_incident() -> Callable[[Path], Path]:
    """A factory writing a real incident folder (the incident package's own outputs) at a path.

    Two customers' data (C1 in NY, C2 in TX, both with an email) reached three
    recipients; the company became aware at INCIDENT_AWARE.
    """

    def write(out: Path) -> Path:
        day = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        evidence = (("DRIVER_LICENCE", "M*****16"), ("PERSON_NAME", "A** L**"))
        outcomes = [
            Outcome(n, f"a#{n}", f"<m{n}@x>", day + timedelta(hours=n), "a@yahoo.com",
                    tuple(Hit(f"C{n + 1}", r, evidence) for r in ("x@gmail.com", "y@aol.com",
                                                                  "z@gmail.com")), None, True)
            for n in range(2)
        ]
        out.parent.mkdir(parents=True, exist_ok=True)
        contacts = out.parent / f"{out.name}-contacts.csv"
        contacts.write_text("customer_id,email,state\nC1,c1@mail.example,NY\n"
                            "C2,c2@mail.example,TX\n", encoding="utf-8")
        graph = build_graph(outcomes)
        options = RenderOptions(datetime.fromisoformat(INCIDENT_AWARE),
                                Branding("Example Phones", "privacy@phones.example"),
                                contacts.resolve(), issued_at=day + timedelta(days=4))
        write_outputs(out, graph, options, [])
        write_results(out, graph, options)
        return out

    return write
