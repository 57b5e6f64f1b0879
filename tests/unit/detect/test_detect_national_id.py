"""National id vectors: each kind's valid and invalid numbers from python-stdnum's doctests.

Sources (python-stdnum 2.x module docstrings, the examples its test suite runs):
stdnum/de/idnr.py, es/dni.py, es/nie.py, fr/nir.py, it/codicefiscale.py,
nl/bsn.py, be/nn.py, pt/nif.py, pl/pesel.py, se/personnummer.py, dk/cpr.py,
fi/hetu.py, ie/pps.py, br/cpf.py, no/fodselsnummer.py, ch/ssn.py, at/vnr.py, cz/rc.py,
mx/curp.py, au/tfn.py, nz/ird.py, in_/aadhaar.py. UK driving licence: the DVLA layout
(crossguard.core.ids.gb_dl), "MORGA753116SM9IJ" being the DVLA's own example.
Near misses are the doctests' invalid numbers (a wrong check digit or date) and
valid numbers that need a context word written without one.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from crossguard.core.ids import gb_dl

Scan = Callable[..., list[tuple[str, str, str]]]

REGIONS = ["DE", "ES", "FR", "IT", "NL", "BE", "PT", "PL", "SE", "DK", "FI", "IE", "BR", "GB",
           "NO", "CH", "AT", "CZ", "MX", "AU", "NZ", "IN"]

VALID = [
    ("Steuer-ID: 36 574 261 809", "DE_IDNR", "36 574 261 809", "36574261809"),
    ("Steuer-IdNr. 36574261809", "DE_IDNR", "36574261809", "36574261809"),  # the label's dot
    ("DNI 54362315-K", "ES_DNI", "54362315-K", "54362315K"),
    ("NIE x-2482300w", "ES_NIE", "x-2482300w", "X2482300W"),
    ("sécurité sociale 2 95 10 99 126 111 93", "FR_NIR", "2 95 10 99 126 111 93",
     "295109912611193"),
    ("NIR 253072B07300470", "FR_NIR", "253072B07300470", "253072B07300470"),
    ("codice fiscale RCCMNL83S18D969H", "IT_CF", "RCCMNL83S18D969H", "RCCMNL83S18D969H"),
    ("BSN 1112.22.333", "NL_BSN", "1112.22.333", "111222333"),
    ("rijksregisternummer 85.07.30-033.28", "BE_NN", "85.07.30-033.28", "85073003328"),
    ("numéro national 17 07 30 033 84", "BE_NN", "17 07 30 033 84", "17073003384"),
    ("NN 85073003328", "BE_NN", "85073003328", "85073003328"),  # Belgian abbreviations
    ("NISS : 85073003328", "BE_NN", "85073003328", "85073003328"),
    ("NIF PT 501 964 843", "PT_NIF", "PT 501 964 843", "501964843"),
    ("PESEL 44051401359", "PL_PESEL", "44051401359", "44051401359"),
    ("personnummer 880320-0016", "SE_PNR", "880320-0016", "8803200016"),
    ("personnummer 890102-3286", "SE_PNR", "890102-3286", "8901023286"),
    ("CPR 211062-5629", "DK_CPR", "211062-5629", "2110625629"),
    ("HETU 131052-308T", "FI_HETU", "131052-308T", "131052308T"),
    ("PPS 6433435F", "IE_PPS", "6433435F", "6433435F"),
    ("PPSN 6433435OA", "IE_PPS", "6433435OA", "6433435OA"),
    ("CPF 390.533.447-05", "BR_CPF", "390.533.447-05", "39053344705"),
    ("fødselsnummer 151086 95088", "NO_FNR", "151086 95088", "15108695088"),
    ("Fødselsnr: 15108695088", "NO_FNR", "15108695088", "15108695088"),
    ("AHV-Nr. 756.9217.0769.85", "CH_AHV", "756.9217.0769.85", "7569217076985"),
    ("SV-Nummer 1237 010180", "AT_VNR", "1237 010180", "1237010180"),
    ("rodné číslo 710319/2745", "CZ_RC", "710319/2745", "7103192745"),
    ("RČ 7103192745", "CZ_RC", "7103192745", "7103192745"),
    ("CURP BOXW310820HNERXN09", "MX_CURP", "BOXW310820HNERXN09", "BOXW310820HNERXN09"),
    ("TFN 123 456 782", "AU_TFN", "123 456 782", "123456782"),
    ("IRD number 49-091-850", "NZ_IRD", "49-091-850", "49091850"),
    ("Aadhaar 2341 2341 2346", "IN_AADHAAR", "2341 2341 2346", "234123412346"),
    # distinctive shapes need no context word
    ("ref 54362315-K", "ES_DNI", "54362315-K", "54362315K"),
    ("RCCMNL83S18D969H", "IT_CF", "RCCMNL83S18D969H", "RCCMNL83S18D969H"),
    ("Versicherte 756.9217.0769.85", "CH_AHV", "756.9217.0769.85", "7569217076985"),
    ("Kunde BOXW310820HNERXN09", "MX_CURP", "BOXW310820HNERXN09", "BOXW310820HNERXN09"),
    ("cliente 390.533.447-05", "BR_CPF", "390.533.447-05", "39053344705"),
    ("DL MORGA753116SM9IJ", "DRIVER_LICENCE", "MORGA753116SM9IJ", "MORGA753116SM9IJ"),
    ("licence MORGA 753116 SM9IJ", "DRIVER_LICENCE", "MORGA 753116 SM9IJ", "MORGA753116SM9IJ"),
]

INVALID = [
    "Steuer-ID 36574261890",  # check digit
    "Steuer-ID 36554266806",  # a digit repeated too often
    "DNI 54362315Z",  # check letter
    "NIE x-2482300a",
    "NIR 295109912611199",
    "NIR 253072C07300443",
    "codice fiscale RCCMNL83S18D969",
    "BSN 1112.52.333",
    "rijksregisternummer 12345678901",
    "NIF PT 501 964 842",
    "PESEL 44051401358",
    "PESEL 02381307589",  # no such birth date
    "personnummer 880320-0018",
    "CPR 511062-5629",  # day 51
    "HETU 131052-308U",
    "HETU 310252-308Y",  # 31 February
    "PPS 6433435E",
    "PPS 6433435VH",
    "CPF 231.002.999-00",
    "MORGA713116SM9IJ",  # month 13
    "fødselsnummer 151086 95077",
    "SV-Nummer 2237 010180",
    "AHV-Nr. 756.9217.0769.84",
    "CURP BOXW310820HNERXN08",
    "TFN 999 999 999",
    "IRD number 49-091-851",
    "Aadhaar 2341 2341 2347",
    # valid numbers that need a context word, written without one
    "order 36574261809 shipped",  # DE_IDNR
    "Wir haben Ihre Steuer-IdNr. Bitte melden Sie 36574261809",  # the word's sentence ended
    "tracking 44051401359",  # PL_PESEL
    "invoice 111222333",  # NL_BSN
    "ref 501964843",  # PT_NIF
    "order 1237010180",  # AT_VNR
    "ticket 123456782",  # AU_TFN
    "invoice 49091850",  # NZ_IRD
    "reference 2341 2341 2346",  # IN_AADHAAR, grouped as reference numbers are
]


@pytest.mark.parametrize(("text", "kind", "span", "value"), VALID)
def test_valid_national_ids(scan: Scan, text: str, kind: str, span: str, value: str) -> None:
    found = [item for item in scan(text, regions=REGIONS) if item[0] != "PHONE"]
    assert found == [(kind, span, value)]


@pytest.mark.parametrize("text", INVALID)
def test_near_misses(scan: Scan, text: str) -> None:
    found = scan(text, regions=REGIONS)
    assert [item for item in found if item[0] not in ("PHONE", "DOB")] == []


def test_only_the_regions_ids_are_looked_for(scan: Scan) -> None:
    assert scan("DNI 54362315-K", ("ES_DNI",), regions=["US"]) == []
    assert scan("MORGA753116SM9IJ", ("DRIVER_LICENCE",), regions=["US"]) == []
    assert scan("DNI 54362315-K", ("ES_DNI",), regions=["ES"]) == [
        ("ES_DNI", "54362315-K", "54362315K")]


@pytest.mark.parametrize(
    ("number", "valid"),
    [("MORGA753116SM9IJ", True), ("MORGA 753116 SM9IJ", True), ("LEE99802086M99AB", True),
     ("MORGA713116SM9IJ", False), ("M9RGA753116SM9IJ", False), ("MORGA753116SM9I1", False),
     ("99999753116SM9IJ", False), ("MORGA753116SM9I", False)],
)
def test_gb_dl_contract(number: str, valid: bool) -> None:
    assert gb_dl.is_valid(number) is valid


def test_gb_dl_format() -> None:
    assert gb_dl.format(gb_dl.validate("morga753116sm9ij")) == "MORGA 753116 SM9IJ"
