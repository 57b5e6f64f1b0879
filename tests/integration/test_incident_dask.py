"""The same summary.json, byte for byte, with 1 worker, 2 workers and a separate Dask cluster.

The separate cluster is a `dask scheduler` and a `dask worker` started as
processes on 127.0.0.1 with the command-line tools, stopped after the test.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from dask.distributed import Client
from tests.integration.support.net import free_port

from crossguard.cli.main import cli
from crossguard.index.build import build_index
from crossguard.index.customer_input import read_customers
from crossguard.synth.archive import write_archive
from crossguard.synth.customers import generate_customers, write_customers_csv

pytestmark = pytest.mark.integration

KEY_HEX = "5eed" * 16
DASK = Path(sys.executable).with_name("dask")
OUTPUTS = ("summary.json", "exposures.csv", "exposures.jsonl", "affected.csv", "report.html",
           "art33.json", "art33.md", "notices.csv", "jurisdictions.csv")


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A 400-message archive with the 70 leaked replies, and the index of its customers."""
    folder = tmp_path_factory.mktemp("dask")
    customers = generate_customers(1_000, seed=7)
    csv_path = write_customers_csv(customers, folder / "customers.csv")
    build_index(read_customers(csv_path), folder / "index", bytes.fromhex(KEY_HEX))
    write_archive(folder / "archive.mbox", customers, messages=400)
    return folder / "archive.mbox", folder / "index"


@pytest.fixture
def dask_cluster(tmp_path: Path) -> Iterator[str]:
    """A scheduler and a two-process worker started with the `dask` command-line tools."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "CROSSGUARD_KEY": KEY_HEX}
    logs = [(tmp_path / "scheduler.log").open("wb"), (tmp_path / "worker.log").open("wb")]
    scheduler = subprocess.Popen(
        [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard",
         "--dashboard-address", "127.0.0.1:0"],
        stdout=logs[0], stderr=subprocess.STDOUT, env=env, start_new_session=True)
    worker = subprocess.Popen(
        [str(DASK), "worker", address, "--nworkers", "2", "--nthreads", "1",
         "--no-dashboard", "--host", "127.0.0.1", "--local-directory", str(tmp_path)],
        stdout=logs[1], stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        with Client(address, timeout="60s") as client:  # type: ignore[no-untyped-call]
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for process in (worker, scheduler):
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        for log in logs:
            log.close()
    assert re.search(r"Scheduler at:\s+tcp://127\.0\.0\.1:\d+",
                     (tmp_path / "scheduler.log").read_text(encoding="utf-8", errors="replace"))


def _scan(archive: tuple[Path, Path], out: Path, *options: str) -> dict[str, bytes]:
    mbox, index = archive
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CROSSGUARD_KEY", KEY_HEX)
        patch.chdir(out.parent)
        result = CliRunner().invoke(cli, ["incident", "scan", str(mbox), "--index", str(index),
                                          "--out", str(out), "--aware-at", "2026-03-05T08:30",
                                          "--issued-at", "2026-03-06T09:00", *options])
    assert result.exit_code == 0, result.output
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def test_outputs_identical_for_one_two_and_distributed_workers(
    archive: tuple[Path, Path], dask_cluster: str, tmp_path: Path
) -> None:
    one = _scan(archive, tmp_path / "one", "--workers", "1")
    two = _scan(archive, tmp_path / "two", "--workers", "2")
    distributed = _scan(archive, tmp_path / "distributed", "--scheduler", dask_cluster)
    assert b'"affected_customers": 70' in one["summary.json"]
    for name in OUTPUTS:
        assert one[name] == two[name] == distributed[name], name


def test_unreachable_scheduler_is_an_error(archive: tuple[Path, Path], tmp_path: Path) -> None:
    mbox, index = archive
    config = tmp_path / "crossguard.toml"
    config.write_text("[incident]\nconnect_timeout = 2\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CROSSGUARD_KEY", KEY_HEX)
        result = CliRunner().invoke(cli, [
            "incident", "scan", str(mbox), "--index", str(index), "--out", str(tmp_path / "o"),
            "--scheduler", f"tcp://127.0.0.1:{free_port()}", "--config", str(config)])
    assert result.exit_code != 0
    assert "cannot reach the Dask scheduler" in str(result.exception)
