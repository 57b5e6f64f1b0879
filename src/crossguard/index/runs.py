"""External sort of (fingerprint, row) pairs: sorted runs on disk, merged back in blocks.

A build's pairs are gathered in a fixed buffer of ``run_size``; each full buffer
is sorted by (fingerprint, row) and spilled to a run file in a private folder
(0700, files 0600). The runs are then merged a block at a time: every run has a
block of its next pairs in memory, and all pairs not above the smallest of the
blocks' last pairs are sorted together and handed on. Memory is the buffer plus
a block per run, whatever the build's size. Run files hold only keyed
fingerprints and row numbers, and are removed when the spool closes (on success
and on failure alike).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

import numpy as np
import numpy.typing as npt

from crossguard.core.private import open_private, private_dir

#: Pairs per run: 12 bytes each, so a 192 MB buffer (and about as much to sort it).
RUN_SIZE = 1 << 24
#: Pairs read from each run per merge step.
BLOCK = 1 << 16

Pairs = tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint32]]


class _Run:
    """A spilled run read back a block at a time (plain reads: no mapped pages kept)."""

    def __init__(self, path: Path, count: int) -> None:
        self._fd = os.open(path, os.O_RDONLY)
        self._count, self._at = count, 0
        self.fps = np.zeros(0, np.uint64)
        self.rows = np.zeros(0, np.uint32)

    def refill(self, block: int) -> None:
        """Read the next block if the current one is used up."""
        if len(self.fps) or self._at == self._count:
            return
        take = min(block, self._count - self._at)
        self.fps = np.frombuffer(os.pread(self._fd, 8 * take, 8 * self._at), np.uint64)
        self.rows = np.frombuffer(
            os.pread(self._fd, 4 * take, 8 * self._count + 4 * self._at), np.uint32)
        self._at += take

    def take(self, fp: int, row: int) -> Pairs:
        """The block's pairs not above (fp, row), removed from the block."""
        low = int(np.searchsorted(self.fps, np.uint64(fp), side="left"))
        high = int(np.searchsorted(self.fps, np.uint64(fp), side="right"))
        cut = low + int(np.searchsorted(self.rows[low:high], np.uint32(row), side="right"))
        taken = self.fps[:cut], self.rows[:cut]
        self.fps, self.rows = self.fps[cut:], self.rows[cut:]
        return taken

    def close(self) -> None:
        os.close(self._fd)


class RunSpool:
    """(fingerprint, row) pairs spilled to sorted runs in ``folder``, merged back in order.

    Use as a context manager: the folder and its runs are removed on exit.
    """

    def __init__(self, folder: Path, run_size: int = RUN_SIZE) -> None:
        self.folder = private_dir(folder)
        self.count = 0
        self._fps = np.empty(run_size, np.uint64)
        self._rows = np.empty(run_size, np.uint32)
        self._filled = 0
        self._runs: list[tuple[Path, int]] = []

    def __enter__(self) -> RunSpool:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def runs(self) -> int:
        """Runs spilled so far."""
        return len(self._runs)

    def add(self, fps: npt.NDArray[np.uint64], rows: npt.NDArray[np.uint32]) -> None:
        """Pairs whose rows do not go below any added before; a full buffer is sorted and spilled.

        Rows come in ascending order (a build numbers its rows as they come), so a
        stable sort by fingerprint sorts each run by (fingerprint, row).
        """
        at = 0
        while at < len(fps):
            room = min(len(self._fps) - self._filled, len(fps) - at)
            self._fps[self._filled : self._filled + room] = fps[at : at + room]
            self._rows[self._filled : self._filled + room] = rows[at : at + room]
            self._filled += room
            at += room
            if self._filled == len(self._fps):
                self._spill()
        self.count += len(fps)

    def _spill(self) -> None:
        fps, rows = self._fps[: self._filled], self._rows[: self._filled]
        order = np.argsort(fps, kind="stable")
        path = self.folder / f"run-{len(self._runs):06d}"
        with open_private(path, "wb") as handle:
            handle.write(fps[order].data)
            handle.write(rows[order].data)
        self._runs.append((path, self._filled))
        self._filled = 0

    def merged(self, block: int = BLOCK) -> Iterator[Pairs]:
        """Every pair once, in (fingerprint, row) order, a few blocks' worth at a time."""
        if self._filled:
            self._spill()
        self._fps, self._rows = np.zeros(0, np.uint64), np.zeros(0, np.uint32)  # buffer freed
        runs = [_Run(path, count) for path, count in self._runs]
        try:
            while True:
                for run in runs:
                    run.refill(block)
                for run in runs:
                    if not len(run.fps):
                        run.close()
                runs = [run for run in runs if len(run.fps)]
                if not runs:
                    return
                bound = min((int(run.fps[-1]), int(run.rows[-1])) for run in runs)
                parts = [run.take(*bound) for run in runs]
                fps = np.concatenate([part[0] for part in parts])
                rows = np.concatenate([part[1] for part in parts])
                # each run's rows are above the runs' before it: a stable sort by
                # fingerprint of the parts in run order sorts by (fingerprint, row)
                order = np.argsort(fps, kind="stable")
                yield fps[order], rows[order]
        finally:
            for run in runs:
                run.close()
