"""The encrypted quarantine: held messages, reviewed and released or discarded.

Every change is audited in the same transaction as the change itself. The
verdict is stored masked (``Verdict.as_dict()``); the body only encrypted.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from crossguard.core.mask import mask_email
from crossguard.errors import StoreError
from crossguard.store import audit
from crossguard.store.crypto import BodyCipher
from crossguard.store.models import QuarantineEntry
from crossguard.store.spool import Spool, new_id


@dataclass(frozen=True, slots=True)
class HeldMessage:
    """A quarantine entry without its body, safe to display (addresses masked)."""

    id: str
    created_at: float
    state: str
    action: str
    message_id: str | None
    mail_from: str
    rcpts: list[str]
    rules: list[str]
    verdict: dict[str, Any]
    reason: str | None
    decided_by: str | None

    @classmethod
    def from_entry(cls, entry: QuarantineEntry) -> HeldMessage:
        """The displayable form of a stored entry (its body is never read)."""
        verdict = json.loads(entry.verdict)
        return cls(
            id=entry.id, created_at=entry.created_at, state=entry.state, action=entry.action,
            message_id=entry.message_id, mail_from=mask_email(entry.mail_from),
            rcpts=masked_addresses(json.loads(entry.rcpts)),
            rules=[rule["rule"] for rule in verdict.get("rules", [])], verdict=verdict,
            reason=entry.reason, decided_by=entry.decided_by,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "created_at": self.created_at, "state": self.state,
            "action": self.action, "message_id": self.message_id, "mail_from": self.mail_from,
            "rcpts": self.rcpts, "rules": self.rules, "verdict": self.verdict,
            "reason": self.reason, "decided_by": self.decided_by,
        }


def masked_addresses(addresses: Sequence[str]) -> list[str]:
    """Addresses masked for display and audit rows."""
    return [mask_email(address) for address in addresses]


class Quarantine:
    """Hold, list, show, release and discard quarantined messages."""

    def __init__(self, sessions: sessionmaker[Session], cipher: BodyCipher | None,
                 spool: Spool, reads: sessionmaker[Session] | None = None) -> None:
        self._sessions = sessions
        self._reads = reads or sessions
        self._cipher = cipher
        self._spool = spool

    def _need_cipher(self) -> BodyCipher:
        if self._cipher is None:
            raise StoreError("the quarantine needs the index key (set $CROSSGUARD_KEY)")
        return self._cipher

    def hold(self, session: Session, *, mail_from: str, rcpts: Sequence[str], body: bytes,
             verdict: Mapping[str, Any], actor: str, spool_id: str | None = None) -> str:
        """Quarantine a message inside the caller's transaction, audited; return its id."""
        entry_id = new_id()
        rules = [rule["rule"] for rule in verdict.get("rules", [])]
        session.add(
            QuarantineEntry(
                id=entry_id, created_at=time.time(), message_id=verdict.get("message_id"),
                mail_from=mail_from, rcpts=json.dumps(list(rcpts)),
                action=str(verdict.get("action", "quarantine")),
                verdict=json.dumps(dict(verdict), sort_keys=True),
                body=self._need_cipher().encrypt(entry_id, body), state="held",
            )
        )
        audit.append(session, actor, "quarantine.hold", {
            "quarantine_id": entry_id, "spool_id": spool_id, "rules": rules,
            "mail_from": mask_email(mail_from), "rcpts": masked_addresses(rcpts),
        })
        return entry_id

    def list(self, state: str | None = "held", limit: int = 100) -> list[HeldMessage]:
        """Entries, newest first; ``state=None`` for all."""
        query = select(QuarantineEntry).order_by(QuarantineEntry.created_at.desc()).limit(limit)
        if state is not None:
            query = query.where(QuarantineEntry.state == state)
        with self._reads() as session:
            return [HeldMessage.from_entry(entry) for entry in session.scalars(query)]

    def show(self, entry_id: str) -> HeldMessage:
        """One entry (masked), or StoreError if there is none."""
        with self._reads() as session:
            entry = session.get(QuarantineEntry, entry_id)
            if entry is None:
                raise StoreError(f"no quarantine entry {entry_id}")
            return HeldMessage.from_entry(entry)

    def body(self, entry_id: str) -> bytes:
        """The decrypted original bytes of an entry."""
        with self._reads() as session:
            entry = session.get(QuarantineEntry, entry_id)
            if entry is None:
                raise StoreError(f"no quarantine entry {entry_id}")
            return self._need_cipher().decrypt(entry.id, entry.body)

    def release(self, entry_id: str, *, actor: str, reason: str) -> str:
        """Queue the original bytes for relay; audited. Return the new spool id."""
        cipher = self._need_cipher()
        with self._sessions.begin() as session:
            entry = self._decide(session, entry_id, "released", actor, reason)
            body = cipher.decrypt(entry.id, entry.body)
            spool_id = self._spool.enqueue(session, entry.mail_from, json.loads(entry.rcpts), body)
            audit.append(session, actor, "quarantine.release", {
                "quarantine_id": entry_id, "spool_id": spool_id, "reason": reason,
            })
        return spool_id

    def discard(self, entry_id: str, *, actor: str, reason: str) -> None:
        """Mark an entry discarded and drop its body; audited."""
        with self._sessions.begin() as session:
            entry = self._decide(session, entry_id, "discarded", actor, reason)
            entry.body = b""
            audit.append(session, actor, "quarantine.discard", {
                "quarantine_id": entry_id, "reason": reason,
            })

    def _decide(self, session: Session, entry_id: str, state: str, actor: str,
                reason: str) -> QuarantineEntry:
        """Move a held entry to ``state`` exactly once (concurrent reviewers: one wins)."""
        if not reason.strip():
            raise StoreError("a reason is required")
        result = session.execute(
            update(QuarantineEntry)
            .where(QuarantineEntry.id == entry_id, QuarantineEntry.state == "held")
            .values(state=state, decided_at=time.time(), decided_by=actor, reason=reason)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            existing = session.get(QuarantineEntry, entry_id)
            if existing is None:
                raise StoreError(f"no quarantine entry {entry_id}")
            raise StoreError(f"quarantine entry {entry_id} is already {existing.state}")
        return session.get_one(QuarantineEntry, entry_id)
