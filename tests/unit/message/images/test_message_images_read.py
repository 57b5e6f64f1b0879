"""read_image on generated phone photos: licence backs, licence fronts, passport pages, QR codes."""

from __future__ import annotations

import io
import re
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import zxingcpp
from PIL import Image, ImageDraw

from crossguard.core.finding import Finding
from crossguard.detect.documents import document_findings
from crossguard.message.images import read_image
from crossguard.message.settings import ImageSettings
from crossguard.synth.idimages import (
    Holder,
    licence_back,
    licence_front,
    licence_photo,
    passport_page,
)
from crossguard.synth.photo import PhotoStyle, phone_photo

PATH = "2/attachment:id.jpg"


def _read(
    data: bytes, settings: ImageSettings | None = None
) -> tuple[str, list[Finding], list[str]]:
    notes: list[str] = []
    text, documents = read_image(data, settings or ImageSettings(), lambda k, _r: notes.append(k))
    findings = [f for document in documents for f in document_findings(document, PATH)]
    return text, findings, notes


def _icao_check(field: str) -> str:
    """ICAO 9303 check digit, written out again independently of the code under test."""
    values = {**{str(d): d for d in range(10)}, "<": 0, **{chr(65 + i): 10 + i for i in range(26)}}
    return str(sum(values[c] * (7, 3, 1)[i % 3] for i, c in enumerate(field)) % 10)


def test_licence_back_photo_yields_aamva_findings(holder: Holder) -> None:
    photo = phone_photo(licence_back(holder), PhotoStyle(scale=0.8, angle=3, quality=60), seed=1)
    text, findings, notes = _read(photo)
    assert notes == []
    by_kind = {f.kind: f for f in findings}
    assert by_kind["DRIVER_LICENCE"].value == holder.licence
    assert by_kind["PERSON_NAME"].value == f"{holder.first} {holder.last}".lower()
    assert by_kind["DOB"].value == holder.dob.isoformat()
    assert by_kind["POSTAL_ADDRESS"].value == holder.street.upper()
    assert by_kind["ID_DOCUMENT_IMAGE"].value == "aamva"
    assert by_kind["ID_DOCUMENT_IMAGE"].masked == "driver licence image"
    assert all(f.part == PATH and f.span == (0, 0) for f in findings)
    assert by_kind["DRIVER_LICENCE"].confidence >= 0.95
    assert text == ""  # the AAMVA payload is not handed to the text detectors a second time


def test_findings_never_show_the_raw_values(holder: Holder) -> None:
    _, findings, _ = _read(phone_photo(licence_back(holder), PhotoStyle(), seed=2))
    raw = [holder.licence, holder.first.lower(), holder.last.lower(), holder.dob.isoformat()]
    shown = " ".join(repr(f) + str(f.as_dict()) + f.masked for f in findings).lower()
    assert findings
    assert not [value for value in raw if value.lower() in shown]


def test_licence_front_photo_text_and_number(holder: Holder) -> None:
    photo = phone_photo(licence_front(holder), PhotoStyle(scale=0.6, angle=-3, quality=50), seed=3)
    text, findings, notes = _read(photo)
    assert notes == []
    assert holder.licence in text.replace(" ", "")
    assert holder.last.upper() in text and holder.first.upper() in text
    assert holder.dob.strftime("%m/%d/%Y") in text
    kinds = {(f.kind, f.value) for f in findings}
    assert ("ID_DOCUMENT_IMAGE", "layout") in kinds
    assert ("DRIVER_LICENCE", holder.licence) in kinds


def test_licence_front_turned_90_degrees_is_read_upright(holder: Holder) -> None:
    photo = phone_photo(licence_front(holder), PhotoStyle(angle=90, quality=70), seed=4)
    text, _, notes = _read(photo)
    assert notes == []
    assert holder.licence in text.replace(" ", "")
    assert "DRIVER LICENSE" in text


def test_passport_page_yields_mrz_lines_that_validate(holder: Holder) -> None:
    photo = phone_photo(passport_page(holder), PhotoStyle(scale=0.7, angle=3, quality=60), seed=5)
    text, findings, notes = _read(photo)
    assert notes == []
    lines = [line for line in text.splitlines() if re.fullmatch(r"[A-Z0-9<]{44}", line)]
    assert len(lines) == 2
    first, second = lines
    assert first.startswith(f"P<USA{holder.last.upper()}<<{holder.first.upper()}")
    assert second[:9].rstrip("<") == holder.passport
    assert _icao_check(second[0:9]) == second[9]
    assert _icao_check(second[13:19]) == second[19]
    assert _icao_check(second[21:27]) == second[27]
    assert _icao_check(second[0:10] + second[13:20] + second[21:43]) == second[43]
    assert ("ID_DOCUMENT_IMAGE", "mrz") in {(f.kind, f.value) for f in findings}


def test_qr_code_text_is_returned() -> None:
    symbol = zxingcpp.create_barcode(
        "Order ORD-20240611 call +1 415 555 0100", zxingcpp.BarcodeFormat.QRCode
    )
    out = io.BytesIO()
    Image.fromarray(np.asarray(symbol.to_image(scale=6))).save(out, "PNG")
    text, findings, notes = _read(out.getvalue(), ImageSettings(ocr=False))
    assert notes == []
    assert "Order ORD-20240611 call +1 415 555 0100" in text
    assert findings == []


def test_a_photo_that_is_no_document_is_not_marked(encode: Callable[..., bytes]) -> None:
    scene = Image.new("RGB", (800, 600), (90, 140, 200))
    draw = ImageDraw.Draw(scene)
    draw.rectangle((0, 380, 800, 600), fill=(70, 120, 50))
    draw.ellipse((520, 60, 640, 180), fill=(250, 220, 90))
    draw.polygon([(100, 380), (260, 160), (420, 380)], fill=(120, 110, 100))
    _, findings, notes = _read(encode(scene, "JPEG", quality=80))
    assert notes == []
    assert findings == []


def test_licence_photo_helper_renders_a_given_customer() -> None:
    photo = licence_photo(
        "Ana María Núñez", "12 Elm Street, Dayton, OH 45402", "N1234567", date(1990, 2, 3)
    )
    _, findings, _ = _read(photo, ImageSettings(ocr=False))
    values = {(f.kind, f.value) for f in findings}
    assert ("DRIVER_LICENCE", "N1234567") in values
    assert ("PERSON_NAME", "ana nunez") in values
    assert ("DOB", "1990-02-03") in values
    assert ("POSTAL_ADDRESS", "12 ELM STREET") in values


def test_ocr_writes_no_temporary_file(holder: Holder, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The photo and its text go through pipes: with no temp folder at all, OCR still reads."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-folder"))
    photo = phone_photo(licence_front(holder), PhotoStyle(scale=0.6, quality=70), seed=5)
    text, _findings, notes = _read(photo)
    assert notes == []
    assert holder.licence in text.replace(" ", "")
    assert not (tmp_path / "no-such-folder").exists()
