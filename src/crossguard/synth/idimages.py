"""Generated identity documents: US licence fronts and backs (AAMVA PDF417), passport pages.

Everything is drawn with Pillow from a :class:`Holder`; the licence back carries a
PDF417 symbol with an AAMVA DL/ID 2020 payload written by zxing-cpp. Use
:func:`licence_image` (a Pillow image) or :func:`licence_photo` (JPEG bytes) to
render a given customer's licence for tests and the demo.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import zxingcpp
from faker import Faker
from PIL import Image, ImageDraw, ImageFont

from crossguard.synth.mrz import td3_lines
from crossguard.synth.photo import PhotoStyle, phone_photo

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
CARD_SIZE = (1012, 638)
PASSPORT_SIZE = (1250, 880)
_STATES = ("CA", "TX", "NY", "FL", "WA", "IL", "OH", "GA")


@dataclass(frozen=True, slots=True)
class Holder:
    """The person on a document; fields as printed on it."""

    first: str
    last: str
    street: str
    city: str
    state: str
    postcode: str
    licence: str
    dob: date
    sex: str = "F"
    middle: str = ""
    passport: str = "X00000000"


def fake_holder(seed: int) -> Holder:
    """A reproducible fake US person with a licence and a passport number."""
    fake = Faker("en_US")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    shape = rng.choice(("L#######", "########", "LL######", "L############"))
    licence = "".join(
        rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") if c == "L" else str(rng.randrange(10)) for c in shape
    )
    female = rng.random() < 0.5
    first = fake.first_name_female() if female else fake.first_name_male()
    return Holder(
        first=first,
        last=fake.last_name(),
        middle=fake.first_name() if rng.random() < 0.5 else "",
        street=f"{fake.building_number()} {fake.street_name()}",
        city=fake.city(),
        state=rng.choice(_STATES),
        postcode=fake.postcode(),
        licence=licence,
        dob=date(1950, 1, 1) + timedelta(days=rng.randrange(18_000)),
        sex="F" if female else "M",
        passport="".join(str(rng.randrange(10)) for _ in range(9)),
    )


def aamva_payload(holder: Holder, iin: str = "636014") -> str:
    """An AAMVA DL/ID Card Design Standard 2020 (version 10) payload with one DL subfile."""
    expiry = holder.dob.replace(year=2030)
    elements = [
        ("DCA", "C"),
        ("DCB", "NONE"),
        ("DCD", "NONE"),
        ("DBA", expiry.strftime("%m%d%Y")),
        ("DCS", holder.last.upper()),
        ("DAC", holder.first.upper()),
        ("DAD", holder.middle.upper() or "NONE"),
        ("DBD", "01152024"),
        ("DBB", holder.dob.strftime("%m%d%Y")),
        ("DBC", "2" if holder.sex == "F" else "1"),
        ("DAY", "BRO"),
        ("DAU", "069 IN"),
        ("DAG", holder.street.upper()),
        ("DAI", holder.city.upper()),
        ("DAJ", holder.state),
        ("DAK", holder.postcode.ljust(9, "0")),
        ("DAQ", holder.licence),
        ("DCF", "0000000000000000"),
        ("DCG", "USA"),
        ("DDE", "N"),
        ("DDF", "N"),
        ("DDG", "N"),
    ]
    subfile = "DL" + "\n".join(code + value for code, value in elements) + "\r"
    header_len = 21 + 10  # header plus one subfile designator
    return f"@\n\x1e\rANSI {iin}1000" + "01" + f"DL{header_len:04d}{len(subfile):04d}" + subfile


def _font(size: int, bold: bool = False, mono: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSansMono" if mono else "DejaVuSans"
    return ImageFont.truetype(f"{FONT_DIR}{name}{'-Bold' if bold else ''}.ttf", size)


def _card(size: tuple[int, int], tint: tuple[int, int, int], seed: int) -> Image.Image:
    """A pale card background with a faint guilloche-like wave pattern."""
    image = Image.new("RGB", size, tint)
    draw = ImageDraw.Draw(image)
    rng = random.Random(seed)
    for offset in range(0, size[1], 22):
        phase = rng.random() * 6.28
        points = [(x, offset + 6 * np.sin(x / 40 + phase)) for x in range(0, size[0] + 20, 20)]
        draw.line(points, fill=tuple(max(0, c - 18) for c in tint), width=1)
    return image


def licence_front(holder: Holder) -> Image.Image:
    """The printed side of a US driver licence."""
    image = _card(CARD_SIZE, (226, 236, 246), zlib.crc32(holder.licence.encode()))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, CARD_SIZE[0], 92), fill=(24, 62, 120))
    draw.text((30, 18), f"{holder.state}  DRIVER LICENSE", font=_font(48, bold=True), fill="white")
    draw.rectangle((30, 120, 300, 470), fill=(150, 160, 175))
    label, value = _font(22), _font(34, bold=True)
    rows = [
        ("DLN", holder.licence),
        ("LN", holder.last.upper()),
        ("FN", f"{holder.first} {holder.middle}".strip().upper()),
        ("", holder.street.upper()),
        ("", f"{holder.city.upper()}, {holder.state} {holder.postcode}"),
        ("DOB", holder.dob.strftime("%m/%d/%Y")),
    ]
    y = 118
    for name, text in rows:
        if name:
            draw.text((330, y + 8), name, font=label, fill=(170, 20, 20))
        draw.text((400, y), text, font=value, fill=(10, 10, 10))
        y += 60
    draw.text(
        (330, y + 10), f"SEX {holder.sex}   CLASS C   EXP 01/15/2030", font=label, fill="black"
    )
    return image


def licence_back(holder: Holder) -> Image.Image:
    """The back of a US driver licence: the AAMVA PDF417 symbol and some small print."""
    image = _card(CARD_SIZE, (238, 238, 232), zlib.crc32(holder.last.encode()))
    symbol = zxingcpp.create_barcode(aamva_payload(holder), zxingcpp.BarcodeFormat.PDF417)
    code = Image.fromarray(np.asarray(symbol.to_image(scale=3))).convert("RGB")
    code = code.resize(
        (900, max(200, min(420, code.height * 900 // code.width))), Image.Resampling.NEAREST
    )
    image.paste(code, ((CARD_SIZE[0] - code.width) // 2, 60))
    draw = ImageDraw.Draw(image)
    draw.text(
        (60, 560), "This card is the property of the issuing state.", font=_font(22), fill="black"
    )
    return image


def passport_page(holder: Holder, nationality: str = "USA") -> Image.Image:
    """A passport data page with its two MRZ lines (TD3)."""
    image = _card(PASSPORT_SIZE, (236, 228, 238), zlib.crc32(holder.passport.encode()))
    draw = ImageDraw.Draw(image)
    draw.text((40, 24), "PASSPORT  /  PASSEPORT", font=_font(44, bold=True), fill=(60, 20, 90))
    draw.rectangle((40, 110, 340, 500), fill=(150, 150, 165))
    label, value = _font(20), _font(32, bold=True)
    rows = [
        ("Passport No.", holder.passport),
        ("Surname", holder.last.upper()),
        ("Given names", f"{holder.first} {holder.middle}".strip().upper()),
        ("Nationality", "UNITED STATES OF AMERICA" if nationality == "USA" else nationality),
        ("Date of birth", holder.dob.strftime("%d %b %Y").upper()),
    ]
    y = 110
    for name, text in rows:
        draw.text((380, y), name, font=label, fill=(90, 60, 110))
        draw.text((380, y + 24), text, font=value, fill="black")
        y += 78
    line1, line2 = td3_lines(
        surname=holder.last,
        given_names=f"{holder.first} {holder.middle}".strip(),
        number=holder.passport,
        nationality=nationality,
        birth=holder.dob,
        sex=holder.sex,
        expiry=holder.dob.replace(year=2031),
    )
    mrz = _font(40, mono=True)
    draw.rectangle((0, 690, PASSPORT_SIZE[0], PASSPORT_SIZE[1]), fill=(246, 244, 246))
    draw.text((40, 712), line1, font=mrz, fill="black")
    draw.text((40, 782), line2, font=mrz, fill="black")
    return image


def licence_image(
    name: str, address: str, licence_number: str, dob: date, side: str = "back"
) -> Image.Image:
    """A customer's licence, ``side`` "front" or "back"; ``name`` is "First [Middle] Last"."""
    first, *middle, last = name.split()
    street, _, rest = address.partition(",")
    city, _, tail = rest.strip().partition(",")
    state, _, postcode = tail.strip().partition(" ")
    holder = Holder(
        first=first,
        last=last,
        middle=" ".join(middle),
        street=street.strip(),
        city=city.strip() or "SPRINGFIELD",
        state=state.strip() or "IL",
        postcode=postcode.strip() or "62701",
        licence=licence_number,
        dob=dob,
    )
    return licence_back(holder) if side == "back" else licence_front(holder)


def licence_photo(
    name: str,
    address: str,
    licence_number: str,
    dob: date,
    side: str = "back",
    style: PhotoStyle | None = None,
) -> bytes:
    """JPEG bytes of a phone photo of a customer's licence, ready to attach to a mail."""
    return phone_photo(
        licence_image(name, address, licence_number, dob, side), style or PhotoStyle()
    )
