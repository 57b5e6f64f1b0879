"""Where the audit anchor lives for a store, and the thread that signs its head."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from crossguard.store.anchor import AuditAnchor, Checkpoint
from crossguard.store.audit import HEAD
from crossguard.store.settings import StoreSettings

log = logging.getLogger(__name__)


def anchor_for(settings: StoreSettings) -> AuditAnchor | None:
    """The configured anchor; by default a folder beside a SQLite file; None for other stores."""
    folder = settings.audit_anchor_dir
    if folder is None:
        url = make_url(settings.url)
        if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
            return None
        database = Path(url.database)
        folder = database.with_name(database.name + ".anchor")
    return AuditAnchor(folder, syslog=settings.audit_anchor_syslog)


class Checkpointer:
    """Signs the audit head into the anchor now and then, and once more at close."""

    def __init__(self, anchor: AuditAnchor, engine: Engine, instance: str,
                 interval: float) -> None:
        self.anchor = anchor
        self._engine = engine
        self._instance = instance
        self._last: tuple[int, str] | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(interval,),
                                        name="audit-checkpoint", daemon=True)
        self._thread.start()

    def checkpoint(self) -> Checkpoint | None:
        """Sign the current head unless it is the one signed last; the checkpoint written."""
        with self._engine.connect() as connection:
            head = connection.execute(HEAD).one_or_none()
        if head is None or int(head.seq) == 0:
            return None
        current = (int(head.seq), str(head.hash))
        with self._lock:
            if current == self._last:
                return None
            self._last = current
            return self.anchor.write(current[0], current[1], self._instance)

    def _run(self, interval: float) -> None:
        while not self._stop.wait(interval):
            try:
                self.checkpoint()
            except Exception:  # the next round tries again; verify reports a stale anchor
                log.exception("audit checkpoint failed")

    def close(self) -> None:
        """Stop the thread and sign the final head."""
        self._stop.set()
        self._thread.join()
        self.checkpoint()
