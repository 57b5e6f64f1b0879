"""PASSPORT_MRZ and PASSPORT vectors.

MRZs are the specimens of ICAO Doc 9303 part 4 (TD3, "ERIKSSON ANNA MARIA",
document L898902C3) and part 5 (TD1, document D23145890); near misses alter
one check digit. PASSPORT is a number in a sentence or label with a passport
word of any language (crossguard/data/context).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from crossguard.core.ids import mrz
from crossguard.detect import DetectorSet

Scan = Callable[..., list[tuple[str, str, str]]]

TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
)

MRZ_VALID = [
    (f"scan:\n{TD3}\nend", "L898902C3"),
    (f"id card\n{TD1}\n", "D23145890"),
    ("only line two:\nL898902C36UTO7408122F1204159ZE184226B<<<<<10\n", "L898902C3"),
    (f"  {TD3.replace(chr(10), '  ' + chr(10) + '  ')}  ", "L898902C3"),
    (f"scan:\r\n{TD3.replace(chr(10), chr(13) + chr(10))}\r\nend", "L898902C3"),  # CRLF
]

MRZ_INVALID = [
    TD3[:-1] + "1",  # composite check digit
    TD3.replace("L898902C36", "L898902C37"),  # document number check digit
    TD1.replace("D231458907", "D231458908"),
    TD3.replace("\n", ""),  # one 88-character line is no MRZ
    TD3.replace("L898902C36", "l898902C36"),  # lower case is no MRZ character
    TD3.replace("\n", "\nx "),  # line two has a word before it
]


@pytest.mark.parametrize(("text", "number"), MRZ_VALID)
def test_mrz(scan: Scan, text: str, number: str) -> None:
    found = scan(text, ("PASSPORT_MRZ", "DOB"))
    assert found == [("PASSPORT_MRZ", number, number), ("DOB", "740812", "1974-08-12")]


@pytest.mark.parametrize("text", MRZ_INVALID)
def test_mrz_near_misses(scan: Scan, text: str) -> None:
    assert scan(text, ("PASSPORT_MRZ",)) == []


def test_mrz_contract() -> None:
    assert mrz.calc_check_digit("L898902C3") == "6"
    assert mrz.calc_check_digit("740812") == "2"
    assert mrz.is_valid(TD3)
    assert mrz.format(mrz.compact(TD3)) == TD3
    assert mrz.parse(TD1).layout == "TD1"


def test_mrz_masked(default_set: DetectorSet) -> None:
    [number, _] = default_set.scan(TD3, "1")
    assert number.masked == "L******C3"


PASSPORT_VALID = [
    ("Passport No. 123456789", "123456789", "123456789"),
    ("passport number: C01X00T47 issued", "C01X00T47", "C01X00T47"),
    ("my passport #L898902C3", "L898902C3", "L898902C3"),
    ("The passport number we hold for this order is 451443923", "451443923", "451443923"),
    ("451443923 is the passport on file.", "451443923", "451443923"),
    ("Passport number:\n451443923", "451443923", "451443923"),
    ("Su pasaporte X1234567 caduca pronto.", "X1234567", "X1234567"),
    ("Reisepassnummer: C01X00T47", "C01X00T47", "C01X00T47"),
    ("numéro de passeport 12AB34567", "12AB34567", "12AB34567"),
    ("paspoortnummer NW1234567", "NW1234567", "NW1234567"),
    ("o seu passaporte CB123456", "CB123456", "CB123456"),
]

PASSPORT_INVALID = [
    "number 123456789 without the word",
    "passport photo attached, thanks",
    "passport no. ABCDEFGHI",
    "We renewed your passport. Order 451443923 ships today.",
    "Passport photo attached.\n\nInvoice 451443923",
]


@pytest.mark.parametrize(("text", "span", "value"), PASSPORT_VALID)
def test_passport_number(scan: Scan, text: str, span: str, value: str) -> None:
    assert scan(text, ("PASSPORT",)) == [("PASSPORT", span, value)]


@pytest.mark.parametrize("text", PASSPORT_INVALID)
def test_passport_near_misses(scan: Scan, text: str) -> None:
    assert scan(text, ("PASSPORT",)) == []
