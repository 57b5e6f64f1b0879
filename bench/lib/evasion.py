"""A generated evasion corpus: identifiers hidden the ways item 5 of issue 21 lists.

Each case is (class, text, kind, original span, value): the detector must find
``kind`` with ``value`` exactly over the original span. Values come from
generated customers; every class has the same number of cases.
"""

from __future__ import annotations

import base64
import random
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from crossguard.synth.customers import Customer, generate_customers

_HOMOGLYPHS = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441",
               "x": "\u0445", "y": "\u0443", "i": "\u0456"}


@dataclass(frozen=True, slots=True)
class Case:
    """One hidden identifier in a sentence."""

    cls: str
    text: str
    kind: str
    span: tuple[int, int]
    value: str


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def _case(cls: str, before: str, hidden: str, after: str, kind: str, value: str) -> Case:
    return Case(cls, before + hidden + after, kind, (len(before), len(before) + len(hidden)),
                value)


def _percent(rng: random.Random, c: Customer) -> Case:
    if rng.random() < 0.5:
        return _case("percent", "please write to ", quote(c.email, safe=""), " today", "EMAIL",
                     c.email.lower())
    card = " ".join(c.card[i:i + 4] for i in range(0, len(c.card), 4))
    return _case("percent", "card no ", quote(card), " thanks", "CARD", _digits(c.card))


def _base64(rng: random.Random, c: Customer) -> Case:
    value, kind, shown = ((c.email, "EMAIL", c.email.lower()) if rng.random() < 0.5
                          else (c.card, "CARD", _digits(c.card)))
    token = base64.b64encode(value.encode()).decode()
    return _case("base64", "data ", token, " (see above)", kind, shown)


def _homoglyph(rng: random.Random, c: Customer) -> Case:
    local, domain = c.email.split("@")
    swapped = "".join(_HOMOGLYPHS.get(ch, ch) if rng.random() < 0.5 else ch for ch in local)
    return _case("homoglyph", "contact ", f"{swapped}@{domain}", " please", "EMAIL",
                 c.email.lower())


def _comments(rng: random.Random, c: Customer) -> Case:
    local, domain = c.email.split("@")
    name, _, tld = domain.rpartition(".")
    at, dot = rng.choice([("(at)", "(dot)"), (" [at] ", " [dot] "), (" at ", " dot "),
                          ("{at}", "{dot}")])
    return _case("comments", "mail ", f"{local}{at}{name}{dot}{tld}", " thanks", "EMAIL",
                 c.email.lower())


def _broken(rng: random.Random, c: Customer) -> Case:
    local, domain = c.email.split("@")
    choice = rng.randrange(3)
    if choice == 0:
        cut = rng.randrange(1, len(domain) - 4)
        hidden = f"{local}@{domain[:cut]}\n{domain[cut:]}"
    elif choice == 1:
        tag = rng.choice(["<b></b>", "<span>", "</span>", "<wbr>"])
        hidden = f"{local}{tag}@{domain}"
    else:
        card = c.card
        return _case("broken", "card ", f"{card[:8]}<span></span>{card[8:]}", " ok", "CARD",
                     _digits(card))
    return _case("broken", "write ", hidden, " soon", "EMAIL", c.email.lower())


def _rtl(rng: random.Random, c: Customer) -> Case:
    return _case("rtl", "mail ", f"\u202e{c.email[::-1]}\u202c", " ok", "EMAIL", c.email.lower())


def _dob(rng: random.Random, c: Customer) -> Case:
    year, month, day = c.dob.split("-")
    shown = rng.choice([f"{month}/{day}/{year}", f"{year}-{month}-{day}"])
    glue = rng.choice([" ", ", ", " ("])
    return _case("dob", f"{c.name}{glue}", shown, " called us", "DOB", c.dob)


#: Zero of the digits of other scripts: Arabic-Indic, Persian, Devanagari, Bengali, Thai.
_SCRIPT_ZEROS = (0x660, 0x6F0, 0x966, 0x9E6, 0xE50)


def _script_digits(rng: random.Random, c: Customer) -> Case:
    """A card number in another script's digits, or with a mark or an emoji's variation
    selector on each digit."""
    card = " ".join(c.card[i:i + 4] for i in range(0, len(c.card), 4))
    if rng.random() < 0.5:
        zero = rng.choice(_SCRIPT_ZEROS)
        hidden = "".join(chr(zero + int(ch)) if ch.isdigit() else ch for ch in card)
    else:
        mark = rng.choice(["\u0301", "\u0332", "\ufe0f"])
        hidden = "".join(ch + mark if ch.isdigit() else ch for ch in card)
    return _case("digits", "card no ", hidden, " thanks", "CARD", _digits(c.card))


CLASSES: dict[str, Callable[[random.Random, Customer], Case]] = {
    "percent": _percent, "base64": _base64, "homoglyph": _homoglyph, "comments": _comments,
    "broken": _broken, "rtl": _rtl, "dob": _dob, "digits": _script_digits,
}


def corpus(per_class: int = 200, seed: int = 21) -> list[Case]:
    """``per_class`` cases of every class, from generated customers."""
    rng = random.Random(seed)
    customers = generate_customers(per_class, seed=seed)
    return [make(rng, customer) for make in CLASSES.values() for customer in customers]
