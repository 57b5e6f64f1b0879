"""AAMVA DL/ID payload parsing.

Element ids and header layout from the AAMVA DL/ID Card Design Standard
(2020), annex D: header ``@`` LF RS CR ``ANSI `` IIN(6) version(2)
jurisdiction version(2) entries(2), designators type(2) offset(4) length(4);
DAQ customer id number, DCS family name, DAC first name, DAD middle name,
DCT given names (versions 2-3), DAA full name (version 1), DBB birth date
(MMDDCCYY for USA, CCYYMMDD for CAN), DAG street, DAI city, DAJ
jurisdiction, DAK postal code, DCG country. The first vector is modelled on
the sample record of the standard's annex D (Michael John Sample, Richmond
VA, licence T64235789).
"""

from __future__ import annotations

import pytest

from crossguard.message.images.aamva import elements, fold, is_aamva, parse

_SAMPLE_ELEMENTS = (
    "DAQT64235789\nDCSSAMPLE\nDDEN\nDACMICHAEL\nDDFN\nDADJOHN\nDDGN\nDCAD\nDCBK\nDCDPH\n"
    "DBD06062016\nDBB06061986\nDBA12102024\nDBC1\nDAU068 in\nDAYBRO\n"
    "DAG2300 WEST BROAD STREET\nDAIRICHMOND\nDAJVA\nDAK232690000  \n"
    "DCF2424244747474786102204\nDCGUSA\nDCK123456789\nDDAF\nDDB06062018\nDDC06062020\nDDD1\r"
)


def _payload(body: str, version: str = "10", doc: str = "DL", offset: int | None = None) -> str:
    """A one-subfile payload; the designator's offset is right unless ``offset`` says otherwise."""
    header_len = (21 if version >= "02" else 19) + 10
    jurisdiction = "00" if version >= "02" else ""
    subfile = doc + body
    where = header_len if offset is None else offset
    designator = f"{doc}{where:04d}{len(subfile):04d}"
    return f"@\n\x1e\rANSI 636000{version}{jurisdiction}01{designator}{subfile}"


def test_annex_d_sample_record() -> None:
    record = parse(_payload(_SAMPLE_ELEMENTS))
    assert record is not None
    assert record.number == "T64235789"
    assert (record.first, record.last) == ("michael", "sample")
    assert record.dob == "1986-06-06"
    assert record.street == "2300 WEST BROAD STREET"
    assert record.doc_type == "DL"


def test_elements_are_read_by_their_three_letter_ids() -> None:
    doc, fields = elements(_payload(_SAMPLE_ELEMENTS))
    assert doc == "DL"
    assert fields["DAI"] == "RICHMOND"
    assert fields["DAJ"] == "VA"
    assert fields["DAK"] == "232690000"
    assert fields["DCG"] == "USA"


@pytest.mark.parametrize(
    ("body", "country_dob"),
    [
        ("DAQ123-456-789\nDCSDOE\nDACJANE\nDBB19800131\nDCGCAN\r", "1980-01-31"),
        ("DAQ123-456-789\nDCSDOE\nDACJANE\nDBB01311980\nDCGUSA\r", "1980-01-31"),
    ],
)
def test_birth_date_order_follows_the_country(body: str, country_dob: str) -> None:
    record = parse(_payload(body))
    assert record is not None
    assert record.dob == country_dob
    assert record.number == "123456789"


def test_version_1_full_name_daa() -> None:
    record = parse(_payload("DAQD1234567\nDAASMITH,JOHN,Q\nDBB07041976\r", version="01"))
    assert record is not None
    assert (record.first, record.last) == ("john", "smith")
    assert record.dob == "1976-07-04"


def test_version_3_given_names_dct() -> None:
    record = parse(_payload("DAQ99887766\nDCSNGUYEN\nDCTANH THI\nDBB12251990\r", version="03"))
    assert record is not None
    assert (record.first, record.last) == ("anh", "nguyen")


def test_identification_card_subfile() -> None:
    record = parse(_payload("DAQ55500011\nDCSLEE\nDACKIM\r", doc="ID"))
    assert record is not None
    assert record.doc_type == "ID"


def test_wrong_subfile_offset_falls_back_to_searching() -> None:
    record = parse(_payload(_SAMPLE_ELEMENTS, offset=7))
    assert record is not None
    assert record.number == "T64235789"


def test_accented_names_are_folded() -> None:
    record = parse(_payload("DAQX1\nDCSMÜLLER-O'BRIEN\nDACJOSÉ\r"))
    assert record is not None
    assert (record.first, record.last) == ("jose", "muller-o'brien")
    assert fold("  Zoë   ÅSE ") == "zoe ase"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ANSI 636000100001DL00310010DLDAQX\r",  # no compliance indicator and separators
        "@\n\x1e\rANSI 63600",  # cut inside the header
        "@@@@garbage that a FixedThreshold binarizer marked valid",
        "https://example.com/ORD-123456",
    ],
)
def test_payloads_without_a_valid_header_are_not_trusted(text: str) -> None:
    assert not is_aamva(text)
    assert parse(text) is None


def test_unknown_names_are_left_out() -> None:
    record = parse(_payload("DAQ12345678\nDCSNONE\nDACUNAVL\nDBB13451990\r"))
    assert record is not None
    assert (record.first, record.last, record.dob) == ("", "", "")
