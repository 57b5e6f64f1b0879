"""The detector contract, the registry, entry-point plugins and overlap resolution."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from crossguard.detect import (
    ENTRY_POINT_GROUP,
    Detector,
    DetectorSet,
    Finding,
    NormalizedText,
    Registry,
    builtin_registry,
    load_plugins,
    resolve_overlaps,
)
from crossguard.detect.base import make_finding
from crossguard.detect.settings import DetectSettings
from crossguard.errors import DetectorError

BUILTIN_KINDS = {
    "MARKETPLACE_ORDER_ID",
    "TRACKING_NUMBER",
    "IMEI",
    "MEID",
    "SERIAL_NUMBER",
    "PRODUCT_CODE",
    "EMAIL",
    "PHONE",
    "CARD",
    "IBAN",
    "US_SSN",
    "UK_NINO",
    "CA_SIN",
    "DOB",
    "IP_ADDRESS",
    "PASSPORT_MRZ",
    "PASSPORT",
    "DRIVER_LICENCE",
    "ORDER_ID",
    # national ids (crossguard/data/national_ids.toml)
    "DE_IDNR", "ES_DNI", "ES_NIE", "FR_NIR", "IT_CF", "NL_BSN", "BE_NN", "PT_NIF", "PL_PESEL",
    "SE_PNR", "DK_CPR", "FI_HETU", "IE_PPS", "BR_CPF", "NO_FNR", "CH_AHV", "AT_VNR", "CZ_RC",
    "MX_CURP", "AU_TFN", "NZ_IRD", "IN_AADHAAR",
}


class TicketDetector:
    """A third-party detector: ``TCK-`` followed by digits."""

    name = "ticket"
    kinds: tuple[str, ...] = ("TICKET",)

    def __init__(self, settings: DetectSettings) -> None:
        self.settings = settings

    def find(self, text: NormalizedText, part: str) -> Iterator[Finding]:
        start = text.text.find("TCK-")
        if start != -1:
            yield make_finding(
                text,
                "TICKET",
                part,
                (start, start + 8),
                text.text[start : start + 8],
                "TCK-****",
                0.9,
            )


class Exploding:
    """A detector that fails with the text in its exception message."""

    name = "exploding"
    kinds: tuple[str, ...] = ("BOOM",)

    def __init__(self, settings: DetectSettings) -> None:
        del settings

    def find(self, text: NormalizedText, part: str) -> Iterable[Finding]:
        raise ValueError(f"cannot handle {text.text}")


def test_builtins_follow_the_protocol() -> None:
    detectors = builtin_registry().build(DetectSettings())
    assert all(isinstance(detector, Detector) for detector in detectors)
    assert {kind for detector in detectors for kind in detector.kinds} == BUILTIN_KINDS


def test_builtins_register_like_plugins() -> None:
    registry = builtin_registry()
    registry.register("ticket", TicketDetector)
    detectors = DetectorSet.from_settings(DetectSettings(), registry)
    kinds = [finding.kind for finding in detectors.scan("see TCK-1234 and ORD-12345678", "1")]
    assert kinds == ["TICKET", "ORDER_ID"]


def test_duplicate_names_are_refused() -> None:
    registry = Registry()
    registry.register("ticket", TicketDetector)
    with pytest.raises(DetectorError, match="already registered"):
        registry.register("ticket", TicketDetector)


def test_contract_is_enforced() -> None:
    registry = Registry()
    registry.register("broken", lambda settings: object())  # type: ignore[arg-type,return-value]
    with pytest.raises(DetectorError, match="contract"):
        registry.build(DetectSettings())


def test_kinds_setting_limits_detectors() -> None:
    detectors = DetectorSet.from_settings(DetectSettings(kinds=["EMAIL"]))
    assert detectors.kinds == frozenset({"EMAIL"})
    found = detectors.scan("a@example.com 4111 1111 1111 1111", "1")
    assert [finding.kind for finding in found] == ["EMAIL"]


def test_failing_detector_error_has_no_text() -> None:
    registry = Registry()
    registry.register("exploding", Exploding)
    detectors = DetectorSet.from_settings(DetectSettings(), registry)
    with pytest.raises(DetectorError) as caught:
        detectors.scan("secret 4111111111111111", "2/attachment:a.txt")
    assert "4111111111111111" not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert "exploding" in str(caught.value)


def _install_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str) -> None:
    """A real distribution on sys.path whose entry point names ``target``."""
    (tmp_path / "cg_plugin_demo.py").write_text(
        "from crossguard.detect.base import make_finding\n"
        "class Ticket:\n"
        "    name = 'ticket'\n"
        "    kinds = ('TICKET',)\n"
        "    def __init__(self, settings):\n"
        "        self.settings = settings\n"
        "    def find(self, text, part):\n"
        "        start = text.text.find('TCK-')\n"
        "        if start != -1:\n"
        "            span = (start, start + 8)\n"
        "            yield make_finding(text, 'TICKET', part, span, 'X', 'TCK-****', 0.9)\n",
        encoding="utf-8",
    )
    dist = tmp_path / "cg_plugin_demo-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: cg-plugin-demo\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\nticket = {target}\n")
    monkeypatch.syspath_prepend(str(tmp_path))


def test_plugins_load_only_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _install_plugin(tmp_path, monkeypatch, "cg_plugin_demo:Ticket")
    assert "ticket" not in builtin_registry().names
    assert "cg_plugin_demo" not in sys.modules
    registry = builtin_registry()
    assert load_plugins(registry) == ["ticket"]
    detectors = DetectorSet.from_settings(DetectSettings(), registry)
    assert [finding.kind for finding in detectors.scan("ref TCK-1234", "1")] == ["TICKET"]


def test_broken_plugin_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _install_plugin(tmp_path, monkeypatch, "cg_plugin_missing:Nothing")
    with pytest.raises(DetectorError, match="'ticket' cannot be loaded"):
        load_plugins(Registry())


def test_overlaps_prefer_stronger_kinds() -> None:
    card = Finding("CARD", "1", 0, 19, "4111 **** **** 1111", 0.85, "4111111111111111")
    phone = Finding("PHONE", "1", 5, 19, "+1 ***-***-1111", 0.9, "+11111111111")
    other_part = Finding("PHONE", "2", 5, 19, "+1 ***-***-1111", 0.9, "+11111111111")
    after = Finding("EMAIL", "1", 19, 30, "a***@b.com", 0.95, "a@b.com")
    assert resolve_overlaps([phone, after, other_part, card]) == [card, after, other_part]


def test_overlaps_chain_and_ties() -> None:
    """A chain of overlaps is one cluster; equal ranks keep the earlier span, in any order."""
    first = Finding("PHONE", "1", 0, 10, "m", 0.5, "v")
    second = Finding("PHONE", "1", 8, 18, "m", 0.5, "v")
    third = Finding("PHONE", "1", 16, 26, "m", 0.5, "v")
    for findings in ([first, second, third], [third, second, first]):
        assert resolve_overlaps(findings) == [first, third]
    assert resolve_overlaps([second, first]) == [first]
    bridge = Finding("CARD", "1", 9, 17, "m", 0.9, "v")
    assert resolve_overlaps([first, second, third, bridge]) == [bridge]
