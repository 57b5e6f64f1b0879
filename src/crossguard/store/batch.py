"""Group commit: writes that arrive together share one transaction and one fsync.

A single writer thread takes every job queued while the previous transaction
was committing, runs them in one transaction and commits once; each caller's
future resolves only after that commit, so "committed before the reply"
still holds per message. The audit entries of a transaction are chained from
one read of the head and written together at its end (one insert, one head
move). If any job of a batch fails, the batch is rolled back and its jobs
are run again one transaction each, so one bad job never takes its
neighbours down with it.

On PostgreSQL every batch first locks the audit chain head: batches of
several instances then serialize instead of deadlocking on each other's rows.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from contextlib import AbstractContextManager
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine

from crossguard.errors import StoreError
from crossguard.store import audit

T = TypeVar("T")
Job = tuple[Callable[[Connection], Any], "Future[Any]"]


class GroupCommitter:
    """Runs ``job(connection)`` callables in shared transactions on one writer thread."""

    def __init__(self, engine: Engine, max_batch: int = 64) -> None:
        self._engine = engine
        self._max_batch = max_batch
        self._lock_head = engine.dialect.name == "postgresql"
        self._jobs: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._closed = False

    def submit(self, job: Callable[[Connection], T]) -> Future[T]:
        """Queue ``job``; its future resolves after the transaction that ran it commits."""
        if self._closed:
            raise StoreError("store is closed")
        if self._thread is None:
            with self._start_lock:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._run, name="cg-commit",
                                                    daemon=True)
                    self._thread.start()
        future: Future[T] = Future()
        self._jobs.put((job, future))
        return future

    def run(self, job: Callable[[Connection], T]) -> T:
        """Run ``job`` in the next group transaction and wait for the commit."""
        return self.submit(job).result()

    def close(self) -> None:
        """Finish queued jobs and stop the writer thread."""
        self._closed = True
        if self._thread is not None:
            self._jobs.put(None)
            self._thread.join(60)

    def _run(self) -> None:
        while True:
            first = self._jobs.get()
            if first is None:
                return
            batch = [first]
            stop = False
            while len(batch) < self._max_batch:
                try:
                    more = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stop = True
                    break
                batch.append(more)
            self._commit([job for job in batch if job[1].set_running_or_notify_cancel()])
            if stop:
                return

    def _commit(self, batch: list[Job]) -> None:
        if not batch:
            return
        results = self._together(batch) if len(batch) > 1 else None
        if results is not None:
            for (_, future), result in zip(batch, results, strict=True):
                future.set_result(result)
            return
        for job, future in batch:
            try:
                with self._engine.begin() as connection, self._batched(connection):
                    result = job(connection)
            except BaseException as error:  # the caller sees it (and answers 451)
                future.set_exception(error)
            else:
                future.set_result(result)

    def _together(self, batch: list[Job]) -> list[Any] | None:
        """Run the whole batch in one transaction; None (rolled back) if any job failed."""
        try:
            with self._engine.begin() as connection, self._batched(connection):
                return [job(connection) for job, _ in batch]
        except Exception:
            return None  # each job runs again alone, and only the bad one fails

    def _batched(self, connection: Connection) -> AbstractContextManager[None]:
        """The transaction's audit batch; on PostgreSQL it locks the chain head first."""
        return audit.batched(connection, lock_head=self._lock_head)
