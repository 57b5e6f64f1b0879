"""Helpers for the API's integration tests: a real index, store and uvicorn on 127.0.0.1.

The ``make_api`` fixture in ``tests/integration/conftest.py`` starts one per test;
module-scoped fixtures use ``running_api`` directly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from crossguard.api.server import BackgroundApi
from crossguard.app import create_app
from crossguard.config import Settings, settings_from_dict
from crossguard.core.private import write_private
from crossguard.index.build import build_index
from crossguard.index.customer_input import read_customers
from crossguard.store.access import ROLES
from crossguard.store.store import Store
from crossguard.synth import mail
from crossguard.synth.customers import Customer, generate_customers, write_customers_csv

KEY_HEX = "6b" * 32
CUSTOMERS = 24
RFC822 = {"content-type": "message/rfc822"}


def api_settings(folder: Path, store_url: str, **sections: dict[str, Any]) -> Settings:
    """Settings over a key file, an index and a store in ``folder``."""
    write_private(folder / "crossguard.key", KEY_HEX)
    data: dict[str, Any] = {
        "key_file": "crossguard.key",
        "index": {"path": "index"},
        "policy": {"company_domains": [mail.COMPANY_DOMAIN]},
        "store": {"url": store_url, "spool_dir": str(folder / "spool")},
        "api": {"secure_cookies": False},
    }
    for name, values in sections.items():
        data[name] = {**data.get(name, {}), **values}
    return settings_from_dict(data, source=folder / "crossguard.toml")


def build_customer_index(settings: Settings, folder: Path, count: int = CUSTOMERS
                         ) -> list[Customer]:
    """Generated customers, written as CSV and built into the settings' index."""
    customers = generate_customers(count, seed=5)
    csv_path = write_customers_csv(customers, folder / "customers.csv")
    assert settings.index.path is not None
    build_index(read_customers(csv_path), settings.index.path, settings.secret_key())
    return customers


def leak(customers: list[Customer], author: int = 0, members: int = 5,
         seed: int = 0) -> mail.Outbound:
    """A customer's reply with licence, address and phone, redistributed to other customers."""
    reply = mail.customer_reply(customers[author], seed=seed)
    return mail.redistributed(reply, customers[:members])


def raw_values(customer: Customer) -> list[str]:
    """The customer's identifiers as they appear in mail (none may appear in a response)."""
    values = [customer.email, customer.phone, customer.driver_licence, customer.passport,
              customer.card, customer.national_id, customer.name, customer.street,
              customer.dob, *customer.order_ids]
    digits = re.sub(r"\D", "", customer.phone)
    return [value for value in values if value] + [digits, digits[-10:]]


@dataclass
class ApiEnv:
    """A running API: its settings, store, customers, base URL and a token per role."""

    settings: Settings
    store: Store
    customers: list[Customer]
    url: str
    tokens: dict[str, str] = field(default_factory=dict)

    def client(self, role: str | None = None, **kwargs: Any) -> httpx.Client:
        """An HTTP client, authenticated as ``role`` when given."""
        headers = {"authorization": f"Bearer {self.tokens[role]}"} if role else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30, **kwargs)

    def hold(self, outbound: mail.Outbound) -> str:
        """Check ``outbound`` with hold=true; the quarantine id."""
        with self.client("checker") as client:
            response = client.post("/v1/check", content=outbound.raw, headers=RFC822,
                                   params={"mail_from": outbound.mail_from,
                                           "rcpt": list(outbound.rcpts), "hold": "true"})
        assert response.status_code == 200, response.text
        quarantine_id = response.json()["quarantine_id"]
        assert quarantine_id
        return str(quarantine_id)


#: The ``make_api`` fixture: ``make_api(store_url=None, **sections)``, a running API.
MakeApi = Callable[..., ApiEnv]


@contextmanager
def running_api(folder: Path, store_url: str | None = None,
                **sections: dict[str, Any]) -> Iterator[ApiEnv]:
    """Index, store, a token per role and uvicorn serving the app on a free port."""
    settings = api_settings(folder, store_url or f"sqlite:///{folder / 'store.db'}", **sections)
    customers = build_customer_index(settings, folder)
    app = create_app(settings)
    store: Store = app.state.crossguard.store
    access = app.state.crossguard.access
    tokens = {role: access.create_token(role, f"test {role}")[1] for role in ROLES}
    server = BackgroundApi(app)
    try:
        url = server.start()
        yield ApiEnv(settings, store, customers, url, tokens)
    finally:
        server.stop()
        store.close()
