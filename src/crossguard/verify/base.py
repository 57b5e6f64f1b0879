"""What every verification step shares: the store's sessions, the cipher, the link key, views."""

from __future__ import annotations

import json
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from crossguard.scan import Guard
from crossguard.store.crypto import BodyCipher
from crossguard.store.store import Store
from crossguard.verify.links import link_key
from crossguard.verify.models import VerifyCampaign, VerifyItem
from crossguard.verify.reading import Reading, read_document
from crossguard.verify.settings import VerifySettings

#: Reads one upload: (customer id, bytes, sniffed type) -> Reading.
Reader = Callable[[str, bytes, str], Reading]


@dataclass(frozen=True, slots=True)
class VerifyContext:
    """The store, keys and settings of the verification steps."""

    engine: Engine
    sessions: sessionmaker[Session]
    reads: sessionmaker[Session]
    cipher: BodyCipher
    key: bytes
    settings: VerifySettings

    @classmethod
    def of(cls, store: Store, secret_key: bytes, settings: VerifySettings) -> VerifyContext:
        """The context over an opened store; uploads use the quarantine's cipher."""
        return cls(store.engine, store.sessions, store.reads, BodyCipher(secret_key),
                   link_key(secret_key), settings)

    def seal(self, item_id: str, data: bytes) -> bytes:
        """An upload encrypted and bound to its item."""
        return self.cipher.encrypt(f"verify-{item_id}", data)

    def open_sealed(self, item_id: str, blob: bytes) -> bytes:
        """The upload of an item, decrypted."""
        return self.cipher.decrypt(f"verify-{item_id}", blob)


class VerifyConfig(Protocol):
    """What verification needs of the settings: its section and the index key."""

    @property
    def verify(self) -> VerifySettings: ...

    def secret_key(self) -> bytes: ...


class RunningApp(Protocol):
    """What verification needs of a running HTTP app (the service's AppState)."""

    @property
    def settings(self) -> VerifyConfig: ...

    @property
    def store(self) -> Store: ...

    @property
    def guard(self) -> Guard: ...


_CONTEXTS: weakref.WeakKeyDictionary[Store, VerifyContext] = weakref.WeakKeyDictionary()


def for_app(app: RunningApp) -> tuple[VerifyContext, Reader]:
    """The context of a running app's store (made once) and a reader using its guard."""
    context = _CONTEXTS.get(app.store)
    if context is None:
        context = VerifyContext.of(app.store, app.settings.secret_key(), app.settings.verify)
        _CONTEXTS[app.store] = context
    guard = app.guard

    def read(customer_id: str, data: bytes, kind: str) -> Reading:
        return read_document(guard, customer_id, data, kind)

    return context, read


@dataclass(frozen=True, slots=True)
class ItemView:
    """One item as reviewers and the API see it: customer id, states, masked reading."""

    id: str
    campaign_id: str
    customer_id: str
    state: str
    created_at: float
    expires_at: float
    uploaded_at: float | None
    upload_type: str | None
    upload_bytes: int | None
    address_confirmed: bool | None
    outcome: str | None
    reading: dict[str, Any] | None
    decided_at: float | None
    decided_by: str | None
    reason: str | None
    purged: bool

    @classmethod
    def of(cls, row: VerifyItem) -> ItemView:
        return cls(row.id, row.campaign_id, row.customer_id, row.state, row.created_at,
                   row.expires_at, row.uploaded_at, row.upload_type, row.upload_bytes,
                   row.address_confirmed, row.outcome,
                   json.loads(row.reading) if row.reading else None, row.decided_at,
                   row.decided_by, row.reason, row.purged_at is not None)

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class CampaignView:
    """A campaign with its items counted by state."""

    id: str
    name: str
    created_at: float
    created_by: str
    expires_at: float
    state: str
    counts: dict[str, int]

    @classmethod
    def of(cls, row: VerifyCampaign, counts: dict[str, int]) -> CampaignView:
        return cls(row.id, row.name, row.created_at, row.created_by, row.expires_at, row.state,
                   counts)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def done(self) -> int:
        """Items that need nothing more (decided, revoked or expired)."""
        return self.total - self.counts.get("pending", 0) - self.counts.get("received", 0)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "created_at": self.created_at,
                "created_by": self.created_by, "expires_at": self.expires_at,
                "state": self.state, "counts": self.counts, "total": self.total}
