"""Fixtures for the integration tests: real upstream sinks, store databases, gateways and APIs.

Factories in the style of aiosmtpd's ``get_controller``: a test asks for ``make_sink``,
``make_database``, ``make_gateway`` or ``make_api``, calls it as often as it needs, and
everything it started is stopped (gateways and APIs first, then sinks, then databases)
when the test ends. The parts themselves live in ``tests/integration/support``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from tests.integration.support.api import ApiEnv, MakeApi, running_api
from tests.integration.support.gateway import (
    KEY_HEX,
    MakeDatabase,
    MakeGateway,
    MakeSink,
    Sink,
    database,
    start_gateway,
)

from crossguard.config import Settings
from crossguard.gateway.server import BackgroundGateway


@pytest.fixture
def gateway_key(monkeypatch: pytest.MonkeyPatch) -> str:
    """The gateways' index key in $CROSSGUARD_KEY (hex)."""
    monkeypatch.setenv("CROSSGUARD_KEY", KEY_HEX)
    return KEY_HEX


@pytest.fixture
def make_database(tmp_path: Path) -> Iterator[MakeDatabase]:
    """Factory of fresh store URLs (``"sqlite"`` or ``"postgres"``), dropped at teardown."""
    with ExitStack() as stack:
        yield lambda kind: stack.enter_context(database(kind, tmp_path))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, make_database: MakeDatabase) -> str:
    """One store URL per database kind: the test runs on SQLite and on PostgreSQL."""
    return make_database(request.param)


@pytest.fixture
def make_sink(gateway_key: str) -> Iterator[MakeSink]:
    """Factory of upstream sinks on 127.0.0.1, started unless ``start=False``."""
    sinks: list[Sink] = []

    def make(port: int | None = None, *, start: bool = True) -> Sink:
        sink = Sink(port)
        sinks.append(sink)
        return sink.start() if start else sink

    yield make
    for sink in sinks:
        sink.stop()


@pytest.fixture
def sink(make_sink: MakeSink) -> Sink:
    """One started upstream sink."""
    return make_sink()


@pytest.fixture
def make_gateway(make_database: MakeDatabase, make_sink: MakeSink
                 ) -> Iterator[MakeGateway]:
    """Factory of real gateways serving in a thread, each stopped at teardown.

    It depends on the database and sink factories so that gateways stop before the
    sinks they relay to and the schemas they write to go away.
    """
    runners: list[BackgroundGateway] = []

    def make(settings: Settings, instance: str = "gw1", *, notices: bool = False
             ) -> BackgroundGateway:
        runner = start_gateway(settings, instance, notices=notices)
        runners.append(runner)
        return runner

    yield make
    for runner in reversed(runners):
        runner.stop()


@pytest.fixture
def make_api(tmp_path: Path, make_database: MakeDatabase) -> Iterator[MakeApi]:
    """Factory of running APIs (index, store, tokens, uvicorn), each in its own folder."""
    numbers = count(1)
    with ExitStack() as stack:

        def make(store_url: str | None = None, **sections: dict[str, Any]) -> ApiEnv:
            folder = tmp_path / f"api-{next(numbers)}"
            folder.mkdir()
            return stack.enter_context(running_api(folder, store_url, **sections))

        yield make
