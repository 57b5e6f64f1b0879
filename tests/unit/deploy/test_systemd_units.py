"""The shipped systemd units pass ``systemd-analyze verify``.

The units name the installed command ``/usr/local/bin/crossguard`` (``pip install``
as root); the test points them at this environment's ``crossguard`` instead,
and changes nothing else.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

UNITS = Path(__file__).resolve().parents[3] / "deploy" / "systemd"
INSTALLED = "/usr/local/bin/crossguard"


@pytest.mark.parametrize("name", ["crossguard-gateway.service", "crossguard-milter.service",
                                  "crossguard-api.service"])
def test_unit_verifies(name: str, tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    assert analyze is not None, "systemd-analyze is missing (make system-deps installs systemd)"
    text = (UNITS / name).read_text(encoding="utf-8")
    assert f"ExecStart={INSTALLED} serve " in text
    here = Path(sys.executable).with_name("crossguard")
    assert here.is_file()
    unit = tmp_path / name
    unit.write_text(text.replace(INSTALLED, str(here)), encoding="utf-8")
    result = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr


def test_units_reload_on_sighup_and_keep_files_private() -> None:
    for name in ("crossguard-gateway.service", "crossguard-milter.service"):
        text = (UNITS / name).read_text(encoding="utf-8")
        assert "ExecReload=/bin/kill -HUP $MAINPID" in text
        assert "UMask=0077" in text and "--log-format json" in text
