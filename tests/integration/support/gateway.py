"""Gateway test parts: the upstream sink, store databases, settings, a started gateway, mail.

The fixtures in ``tests/integration/conftest.py`` start and stop these; tests import the
plain helpers (``mail``, ``gateway_settings``, ``with_rule``) from here.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import Any, Protocol

import psycopg
from aiosmtpd.controller import Controller
from tests.integration.support.net import free_port

from crossguard.config import Settings, settings_from_dict
from crossguard.gateway.notice import Notifier
from crossguard.gateway.server import BackgroundGateway, Gateway
from crossguard.scan import Guard
from crossguard.store.store import Store

PG_DSN = "postgresql://postgres@127.0.0.1:5432/test"
KEY_HEX = "5a" * 32


class MakeSink(Protocol):
    """The ``make_sink`` fixture: an upstream sink, started unless ``start=False``."""

    def __call__(self, port: int | None = None, *, start: bool = True) -> Sink: ...


#: The ``make_database`` fixture: a fresh store URL for ``"sqlite"`` or ``"postgres"``.
MakeDatabase = Callable[[str], str]
#: The ``make_gateway`` fixture: ``make_gateway(settings, instance="gw1")``, serving.
MakeGateway = Callable[..., BackgroundGateway]


@contextmanager
def database(kind: str, tmp_path: Path) -> Iterator[str]:
    """A fresh store URL: a SQLite file, or a unique schema on the local PostgreSQL."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(PG_DSN, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


class Sink:
    """An upstream MTA on 127.0.0.1 that records every message; it can be down and come back."""

    def __init__(self, port: int | None = None, host: str = "127.0.0.1",
                 **controller: Any) -> None:
        """``controller``: more aiosmtpd Controller options (TLS, AUTH)."""
        self.port = port or free_port()
        self.host = host
        self._options = controller
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.defer: dict[str, int] = {}
        self.refuse: set[str] = set()
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          options: list[str]) -> str:
        with self._lock:
            if self.defer.get(address, 0) > 0:
                self.defer[address] -= 1
                return "450 4.2.1 try again later"
        if address in self.refuse:
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 2.0.0 stored"

    def start(self) -> Sink:
        self._controller = Controller(self, hostname=self.host, port=self.port,
                                      **self._options)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def message_ids(self) -> list[str]:
        """Message-ID of every delivery (one per SMTP transaction)."""
        with self._lock:
            bodies = [body for _, _, body in self.messages]
        parser = BytesHeaderParser()
        return [str(parser.parsebytes(body)["Message-ID"]) for body in bodies]

    def wait_for(self, count: int, timeout: float = 20.0) -> bool:
        """True once at least ``count`` messages arrived."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.messages) >= count:
                    return True
            time.sleep(0.05)
        return False


def gateway_settings(url: str, spool: Path, upstream_port: int, **gateway: Any) -> Settings:
    """Settings for a test gateway: fast polling and retries, an ephemeral listen port."""
    values = {"listen": "127.0.0.1:0", "upstream": f"127.0.0.1:{upstream_port}",
              "poll_seconds": 0.1, "retry_base_seconds": 0.2, "retry_max_seconds": 1.0}
    values.update(gateway)
    return settings_from_dict({"store": {"url": url, "spool_dir": str(spool)},
                               "gateway": values})


def with_rule(settings: Settings, rule: str, **fields: Any) -> Settings:
    """``settings`` with one policy rule's fields replaced (e.g. ``action="reject"``)."""
    rules = settings.policy.rules
    changed = getattr(rules, rule).model_copy(update=fields)
    policy = settings.policy.model_copy(update={"rules": rules.model_copy(update={rule: changed})})
    return settings.model_copy(update={"policy": policy})


def start_gateway(settings: Settings, instance: str = "gw1", *, notices: bool = False
                  ) -> BackgroundGateway:
    """A real gateway (real Guard, real store) serving in a thread; ``.gateway.port`` is set.

    ``notices``: mail hold notices to internal senders, as ``crossguard serve smtp`` does.
    """
    store = Store.from_settings(settings, instance=instance)
    guard = Guard.from_settings(settings, counter=store.counter)
    notifier = Notifier(settings.gateway, settings.policy.company_domains) if notices else None
    runner = BackgroundGateway(Gateway(settings.gateway, guard, store,
                                        store_pool=settings.store.pool_size, notifier=notifier))
    runner.start()
    return runner


def mail(msgid: str, to: list[str], body: str = "Hello, your order has shipped.\r\n",
         sender: str = "care@example.com", extra: str = "") -> bytes:
    """A small RFC 5322 message with CRLF line ends."""
    head = (f"From: Care <{sender}>\r\nTo: {', '.join(to)}\r\nSubject: Your order\r\n"
            f"Message-ID: <{msgid}>\r\nDate: Sat, 28 Nov 2026 03:00:00 +0000\r\n{extra}")
    return (head + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            + body).encode()
