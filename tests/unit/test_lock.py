"""The installed packages are exactly the ones requirements.lock pins (and hashes)."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).parents[2]
LOCK = ROOT / "requirements.lock"


def pins() -> dict[str, tuple[str, int]]:
    """Name -> (pinned version, number of hashes), for every requirement of the lock."""
    text = LOCK.read_text(encoding="utf-8")
    found: dict[str, tuple[str, int]] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        line = block.split("\\", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        requirement = Requirement(line)
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        (spec,) = requirement.specifier
        assert spec.operator == "==", line
        found[canonicalize_name(requirement.name)] = (spec.version, block.count("--hash=sha256:"))
    return found


PINS = pins()
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
DECLARED = {canonicalize_name(Requirement(text).name): Requirement(text)
            for text in [*PROJECT["dependencies"], *PROJECT["optional-dependencies"]["dev"]]}

#: Floors past known advisories: package -> (first fixed version, advisories).
ADVISORIES = {
    "aiosmtpd": ("1.4.6", "CVE-2024-27305 SMTP smuggling, CVE-2024-34083 STARTTLS injection"),
    "aiosmtplib": ("5.1.2", "CVE-2026-55558 STARTTLS response injection (and the CR/LF one)"),
    "cryptography": ("50.0", "CVE-2026-69247 PKCS#7 Bleichenbacher oracle, CVE-2026-26007"),
    "jinja2": ("3.1.6", "CVE-2024-56201, CVE-2024-56326, CVE-2025-27516 sandbox escapes"),
    "starlette": ("0.49.1", "CVE-2024-47874 multipart DoS, CVE-2025-62727 Range DoS"),
    "python-multipart": ("0.0.27", "CVE-2024-53981, CVE-2026-24486, CVE-2026-42561"),
    "pillow": ("12.3", "PYSEC-2026-2251 heap overflow and the advisories fixed in 12.3.0"),
    "pypdf": ("6.15", "CVE-2026-22690/22691, CVE-2026-27024..27026, PYSEC-2026-3912 DoS"),
}


@pytest.mark.parametrize("name", sorted(ADVISORIES))
def test_floor_is_past_known_advisories(name: str) -> None:
    fixed, advisories = ADVISORIES[name]
    floors = [Version(spec.version) for spec in DECLARED[name].specifier
              if spec.operator == ">="]
    assert floors and max(floors) >= Version(fixed), f"{name} floor admits {advisories}"


def test_lock_pins_every_direct_dependency() -> None:
    for requirement in DECLARED.values():
        name = canonicalize_name(requirement.name)
        assert name in PINS, f"{name} is not in requirements.lock (run make lock)"
        assert requirement.specifier.contains(PINS[name][0]), (
            f"{name}: the lock's {PINS[name][0]} is outside pyproject's {requirement.specifier}")


@pytest.mark.parametrize("name", sorted(PINS))
def test_installed_version_is_the_locked_one_with_hashes(name: str) -> None:
    version, hashes = PINS[name]
    assert hashes >= 1, f"{name} has no hash in the lock"
    assert metadata.version(name) == version, f"{name}: installed {metadata.version(name)}"
