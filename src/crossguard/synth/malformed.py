"""A deterministic corpus of customer-care messages, well-formed and malformed.

``corpus(count, seed)`` yields :class:`Sample` objects: the raw bytes, the kind
of message, and the parse-note kinds that message must produce. The first
``len(KINDS)`` samples are one of each kind; the rest are drawn by weight, with
the 30 MB attachment capped (``huge``) because of its size.
"""

from __future__ import annotations

import base64
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from crossguard.synth import documents

FIRST = ("Ana", "Ben", "Chloe", "Dev", "Eva", "Femi", "Gus", "Hana", "Ivan", "Jo", "Kai", "Lena")
LAST = ("Silva", "Okafor", "Nguyen", "Schmidt", "Kowalski", "Haddad", "Tanaka", "Murphy")
STREETS = ("Elm Street", "Harbour Road", "Mill Lane", "Station Avenue", "Church Walk")
DOMAIN = "example.com"


@dataclass(frozen=True, slots=True)
class Sample:
    """One generated message and the parse-note kinds it must produce."""

    kind: str
    raw: bytes
    expected_notes: frozenset[str] = field(default_factory=frozenset)


@dataclass(slots=True)
class Person:
    name: str
    email: str
    phone: str
    address: str


def person(rng: random.Random) -> Person:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    number = rng.randrange(1, 999)
    return Person(
        name=f"{first} {last}",
        email=f"{first}.{last}{number}@mail.test".lower(),
        phone=f"+1 202 555 {rng.randrange(100, 199):04d}",
        address=f"{rng.randrange(1, 300)} {rng.choice(STREETS)}, Springfield",
    )


def _body(rng: random.Random, person: Person) -> str:
    lines = [
        f"Hello {person.name.split()[0]},",
        "",
        "Thank you for your pre-order. Here are the details we hold for you:",
        f"Phone: {person.phone}",
        f"Address: {person.address}",
        f"Order: ORD-{rng.randrange(100000, 999999)}",
    ]
    lines += ["Kind regards, Customer Care"] * rng.randrange(1, 4)
    filler = "We will write again when your order ships. " * rng.randrange(5, 40)
    return "\n".join([*lines, "", filler])


def _headers(rng: random.Random, person: Person, ctype: str, extra: str = "") -> str:
    return (
        f"From: Customer Care <care@{DOMAIN}>\r\n"
        f'To: "{person.name}" <{person.email}>\r\n'
        f"Subject: Your order {rng.randrange(1000, 9999)}\r\n"
        f"Date: Mon, 02 Mar 2026 09:{rng.randrange(10, 59)}:00 +0000\r\n"
        f"Message-ID: <{rng.getrandbits(64):x}@{DOMAIN}>\r\n"
        f"MIME-Version: 1.0\r\nContent-Type: {ctype}\r\n{extra}"
    )


def _b64(data: bytes) -> str:
    return base64.encodebytes(data).decode("ascii").replace("\n", "\r\n")


def _multipart(rng: random.Random, person: Person, parts: list[str]) -> str:
    boundary = f"b{rng.getrandbits(48):x}"
    body = "".join(f"--{boundary}\r\n{part}\r\n" for part in parts)
    return (
        _headers(rng, person, f'multipart/mixed; boundary="{boundary}"')
        + f"\r\nThis is a MIME message.\r\n{body}--{boundary}--\r\n"
    )


def _text_part(text: str, ctype: str = "text/plain", charset: str = "utf-8") -> str:
    data = text.encode("utf-8")
    return (
        f"Content-Type: {ctype}; charset={charset}\r\n"
        f"Content-Transfer-Encoding: base64\r\n\r\n{_b64(data)}"
    )


def _attachment(name: str, ctype: str, data: bytes) -> str:
    return (
        f'Content-Type: {ctype}; name="{name}"\r\n'
        f'Content-Disposition: attachment; filename="{name}"\r\n'
        f"Content-Transfer-Encoding: base64\r\n\r\n{_b64(data)}"
    )


def plain(rng: random.Random, p: Person) -> str:
    return _headers(rng, p, "text/plain; charset=utf-8") + "\r\n" + _body(rng, p)


def html(rng: random.Random, p: Person) -> str:
    markup = "<html><body><p>" + _body(rng, p).replace("\n", "<br>") + "</p></body></html>"
    return _multipart(rng, p, [_text_part(_body(rng, p)), _text_part(markup, "text/html")])


def pdf_attachment(rng: random.Random, p: Person) -> str:
    data = documents.pdf([[f"Statement for {p.name}", f"Phone {p.phone}", p.address]])
    return _multipart(
        rng, p, [_text_part(_body(rng, p)), _attachment("statement.pdf", "application/pdf", data)]
    )


def office_attachments(rng: random.Random, p: Person) -> str:
    docx = documents.docx([f"Customer {p.name}", p.address])
    xlsx = documents.xlsx([["name", "phone"], [p.name, p.phone]])
    return _multipart(
        rng,
        p,
        [
            _text_part(_body(rng, p)),
            _attachment(
                "letter.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                docx,
            ),
            _attachment(
                "list.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                xlsx,
            ),
        ],
    )


def zip_attachment(rng: random.Random, p: Person) -> str:
    data = documents.zip_bytes(
        {"notes.txt": _body(rng, p).encode(), "ids.csv": f"{p.name},{p.phone}\n".encode()}
    )
    return _multipart(
        rng, p, [_text_part(_body(rng, p)), _attachment("files.zip", "application/zip", data)]
    )


def nested_rfc822(rng: random.Random, p: Person) -> str:
    inner = plain(rng, person(rng))
    return _multipart(
        rng, p, [_text_part(_body(rng, p)), f"Content-Type: message/rfc822\r\n\r\n{inner}"]
    )


def truncated_mime(rng: random.Random, p: Person) -> str:
    full = pdf_attachment(rng, p)
    return full[: int(len(full) * rng.uniform(0.55, 0.9))]


def broken_base64(rng: random.Random, p: Person) -> str:
    encoded = _b64(_body(rng, p).encode())
    cut = encoded[: len(encoded) - rng.randrange(1, 3)]
    broken = cut[:40] + "!*" + cut[40:]
    return (
        _headers(rng, p, "text/plain; charset=utf-8", "Content-Transfer-Encoding: base64\r\n")
        + "\r\n"
        + broken
    )


def unknown_charset(rng: random.Random, p: Person) -> str:
    return _headers(rng, p, "text/plain; charset=x-klingon-8") + "\r\n" + _body(rng, p)


def charset_mismatch(rng: random.Random, p: Person) -> str:
    return (
        _headers(rng, p, "text/plain; charset=us-ascii") + "\r\n" + _body(rng, p) + "Caf\u00e9\r\n"
    )


def bad_quoted_printable(rng: random.Random, p: Person) -> str:
    extra = "Content-Transfer-Encoding: quoted-printable\r\n"
    return (
        _headers(rng, p, "text/plain; charset=utf-8", extra) + "\r\n" + _body(rng, p) + " =ZZ=4\r\n"
    )


def deep_nesting(rng: random.Random, p: Person, levels: int = 50) -> str:
    inner = _text_part(_body(rng, p))
    for level in range(levels):
        boundary = f"n{level}x{rng.getrandbits(32):x}"
        inner = (
            f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n'
            f"--{boundary}\r\n{inner}\r\n--{boundary}--"
        )
    boundary = f"top{rng.getrandbits(32):x}"
    return (
        _headers(rng, p, f'multipart/mixed; boundary="{boundary}"')
        + f"\r\n--{boundary}\r\n{inner}\r\n--{boundary}--\r\n"
    )


@lru_cache(maxsize=1)
def _bomb() -> bytes:
    return documents.zip_bomb()


def zip_bomb(rng: random.Random, p: Person) -> str:
    return _multipart(
        rng, p, [_text_part(_body(rng, p)), _attachment("report.zip", "application/zip", _bomb())]
    )


def encrypted_zip(rng: random.Random, p: Person) -> str:
    data = documents.zip_bytes(
        {"secret.txt": b"hidden", "open.txt": b"visible"}, encrypted=("secret.txt",)
    )
    return _multipart(
        rng, p, [_text_part(_body(rng, p)), _attachment("locked.zip", "application/zip", data)]
    )


def broken_pdf(rng: random.Random, p: Person) -> str:
    data = b"%PDF-1.7\n" + rng.randbytes(600)
    return _multipart(
        rng, p, [_text_part(_body(rng, p)), _attachment("scan.pdf", "application/pdf", data)]
    )


def encrypted_pdf(rng: random.Random, p: Person) -> str:
    return _multipart(
        rng,
        p,
        [_text_part(_body(rng, p)), _attachment("locked.pdf", "application/pdf", _encrypted_pdf())],
    )


@lru_cache(maxsize=1)
def _encrypted_pdf() -> bytes:
    return documents.encrypted_pdf(["Account 12345678"])


def unknown_transfer_encoding(rng: random.Random, p: Person) -> str:
    extra = "Content-Transfer-Encoding: x-gzip64\r\n"
    return _headers(rng, p, "text/plain", extra) + "\r\nH4sIAJ+A5jIAA0VPTWvDMAy9\r\n"


def no_headers(rng: random.Random, p: Person) -> str:
    return "\r\n" + _body(rng, p)


def too_many_parts(rng: random.Random, p: Person) -> str:
    return _multipart(rng, p, [_text_part(f"part {n}") for n in range(520)])


def bad_zip(rng: random.Random, p: Person) -> str:
    data = b"PK\x03\x04" + rng.randbytes(300)
    return _multipart(
        rng, p, [_text_part(_body(rng, p)), _attachment("broken.zip", "application/zip", data)]
    )


def huge_attachment(rng: random.Random, p: Person) -> str:
    data = rng.randbytes(1 << 16) * 480  # 30 MiB
    return _multipart(
        rng,
        p,
        [_text_part(_body(rng, p)), _attachment("backup.bin", "application/octet-stream", data)],
    )


def garbage(rng: random.Random, p: Person) -> bytes:
    return rng.randbytes(rng.randrange(1, 4000))


Builder = Callable[[random.Random, Person], "str | bytes"]

# kind: (builder, weight, expected note kinds)
KINDS: dict[str, tuple[Builder, int, frozenset[str]]] = {
    "plain": (plain, 300, frozenset()),
    "html": (html, 200, frozenset()),
    "pdf_attachment": (pdf_attachment, 60, frozenset()),
    "office_attachments": (office_attachments, 40, frozenset()),
    "zip_attachment": (zip_attachment, 40, frozenset()),
    "nested_rfc822": (nested_rfc822, 40, frozenset()),
    "truncated_mime": (truncated_mime, 40, frozenset({"mime_defect"})),
    "broken_base64": (broken_base64, 40, frozenset({"bad_base64"})),
    "unknown_charset": (unknown_charset, 30, frozenset({"unknown_charset"})),
    "charset_mismatch": (charset_mismatch, 30, frozenset({"charset_mismatch"})),
    "bad_quoted_printable": (bad_quoted_printable, 20, frozenset({"bad_quoted_printable"})),
    "deep_nesting": (deep_nesting, 10, frozenset({"limit_depth"})),
    "zip_bomb": (zip_bomb, 10, frozenset({"zip_bomb"})),
    "encrypted_zip": (encrypted_zip, 10, frozenset({"encrypted_member"})),
    "broken_pdf": (broken_pdf, 10, frozenset({"unreadable_pdf"})),
    "encrypted_pdf": (encrypted_pdf, 10, frozenset({"encrypted_pdf"})),
    "unknown_transfer_encoding": (
        unknown_transfer_encoding,
        10,
        frozenset({"unknown_transfer_encoding"}),
    ),
    "no_headers": (no_headers, 10, frozenset({"no_headers"})),
    "too_many_parts": (too_many_parts, 5, frozenset({"limit_parts"})),
    "bad_zip": (bad_zip, 10, frozenset({"bad_archive"})),
    "garbage": (garbage, 20, frozenset()),
    "huge_attachment": (huge_attachment, 0, frozenset({"limit_part_size"})),
}


def sample(kind: str, rng: random.Random) -> Sample:
    """Build one message of ``kind``."""
    builder, _weight, expected = KINDS[kind]
    raw = builder(rng, person(rng))
    data = raw if isinstance(raw, bytes) else raw.encode("utf-8")
    return Sample(kind, data, expected)


def corpus(count: int, seed: int = 2026, *, huge: int = 1) -> Iterator[Sample]:
    """``count`` samples: one of each kind first, then weighted draws (``huge`` 30 MB ones)."""
    rng = random.Random(seed)
    kinds = list(KINDS)
    weighted = [kind for kind in kinds if KINDS[kind][1]]
    weights = [KINDS[kind][1] for kind in weighted]
    huge_at = {len(kinds) + (count - len(kinds)) * (n + 1) // (huge + 1) for n in range(huge - 1)}
    for index in range(count):
        if index < len(kinds):
            kind = kinds[index]
        elif index in huge_at:
            kind = "huge_attachment"
        else:
            kind = rng.choices(weighted, weights)[0]
        yield sample(kind, rng)
