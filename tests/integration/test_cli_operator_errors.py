"""Every operator mistake at start-up: one clear line naming the setting or option, exit 2."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

CLI = [sys.executable, "-m", "crossguard.cli"]


def run(*args: str, cwd: Path) -> tuple[int, list[str]]:
    """Exit code and stderr lines of one command (killed after 60 s: a server that started)."""
    done = subprocess.run([*CLI, *args], capture_output=True, cwd=cwd, timeout=60,
                          env={**os.environ, "CROSSGUARD_KEY": "5a" * 32}, check=False)
    return done.returncode, done.stderr.decode().splitlines()


def error_line(lines: list[str]) -> str:
    """The one error line, last on stderr; never a traceback or an 'internal error'."""
    text = "\n".join(lines)
    assert "Traceback" not in text and "internal error" not in text, text
    errors = [line for line in lines if line.startswith("crossguard: error: ")]
    assert errors == lines[-1:], text
    return errors[0]


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


def config(folder: Path, url: str, spool: Path) -> Path:
    path = folder / "crossguard.toml"
    path.write_text(f'[store]\nurl = "{url}"\nspool_dir = "{spool}"\n', encoding="utf-8")
    return path


@pytest.mark.parametrize(("option", "value"), [("--listen", "nope"),
                                               ("--upstream", "host:notaport")])
def test_serve_smtp_bad_address_option_names_it(tmp_path: Path, option: str, value: str) -> None:
    code, lines = run("serve", "smtp", option, value, cwd=tmp_path)
    assert code == 2
    assert f"Invalid value for '{option}': expected HOST:PORT, got '{value}'" in error_line(lines)


def test_serve_smtp_port_in_use_names_gateway_listen(tmp_path: Path, busy_port: int) -> None:
    code, lines = run("serve", "smtp", "--listen", f"127.0.0.1:{busy_port}", cwd=tmp_path)
    assert code == 2
    line = error_line(lines)
    assert line.startswith(f"crossguard: error: gateway.listen 127.0.0.1:{busy_port}: cannot "
                           "listen ("), line
    assert "in use" in line


def test_serve_api_port_in_use_exits_2_naming_api_listen(tmp_path: Path, busy_port: int) -> None:
    code, lines = run("serve", "api", "--listen", f"127.0.0.1:{busy_port}", cwd=tmp_path)
    assert code == 2
    assert error_line(lines) == (f"crossguard: error: api.listen 127.0.0.1:{busy_port}: cannot "
                                 "listen (Address already in use)")


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """A read-only tmpfs (root ignores file modes, so a mount it is), unmounted after."""
    mount = tmp_path / "ro"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", str(mount)], check=True)
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)


@pytest.mark.parametrize("command", ["smtp", "api"])
def test_unwritable_store_database_names_store_url(tmp_path: Path, read_only: Path,
                                                   command: str) -> None:
    path = config(tmp_path, f"sqlite:///{read_only / 'store.db'}", tmp_path / "spool")
    code, lines = run("serve", command, "--config", str(path), "--listen", "127.0.0.1:0",
                      cwd=tmp_path)
    assert code == 2
    assert error_line(lines) == ("crossguard: error: store.url: cannot open or migrate the store "
                                 "(OperationalError: unable to open database file)")


def test_unwritable_spool_names_store_spool_dir(tmp_path: Path, read_only: Path) -> None:
    path = config(tmp_path, f"sqlite:///{tmp_path / 'store.db'}", read_only / "spool")
    code, lines = run("serve", "smtp", "--config", str(path), "--listen", "127.0.0.1:0",
                      cwd=tmp_path)
    assert code == 2
    assert error_line(lines) == (f"crossguard: error: store.spool_dir: cannot create "
                                 f"{read_only / 'spool'} (Read-only file system)")


def test_store_folder_that_is_a_file_names_store_url(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    path = config(tmp_path, f"sqlite:///{tmp_path / 'afile' / 'store.db'}", tmp_path / "spool")
    code, lines = run("serve", "smtp", "--config", str(path), "--listen", "127.0.0.1:0",
                      cwd=tmp_path)
    assert code == 2
    assert error_line(lines).startswith("crossguard: error: store.url: cannot create the folder ")


@pytest.fixture
def customers_csv(tmp_path: Path) -> Path:
    path = tmp_path / "customers.csv"
    path.write_text("customer_id,name,email\n1,Ann Smith,ann@x.test\n", encoding="utf-8")
    return path


def test_index_build_out_on_a_file_is_one_line(tmp_path: Path, customers_csv: Path) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    code, lines = run("index", "build", str(customers_csv), "--out", "afile", cwd=tmp_path)
    assert code == 2
    assert "Invalid value for '--out': Directory 'afile' is a file." in error_line(lines)


def test_index_build_refuses_to_overwrite_an_index_without_force(
        tmp_path: Path, customers_csv: Path) -> None:
    assert run("index", "build", str(customers_csv), "--out", "idx", cwd=tmp_path)[0] == 0
    manifest = (tmp_path / "idx" / "manifest.json").read_bytes()
    code, lines = run("index", "build", str(customers_csv), "--out", "idx", cwd=tmp_path)
    assert code == 2
    assert error_line(lines) == ("crossguard: error: --out idx: an index is already there; "
                                 "--force replaces it")
    assert (tmp_path / "idx" / "manifest.json").read_bytes() == manifest
    assert run("index", "build", str(customers_csv), "--out", "idx", "--force",
               cwd=tmp_path)[0] == 0
