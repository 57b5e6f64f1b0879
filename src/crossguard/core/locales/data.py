"""The locale data files, read once per process (they are package data, never settings)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any, Literal

DateOrder = Literal["DMY", "MDY", "YMD"]
#: The languages that have a context word file (``context/<language>.toml``).
LANGUAGES = ("en", "es", "de", "fr", "it", "nl", "pt", "da", "sv", "pl", "no", "cs")


@dataclass(frozen=True, slots=True)
class Country:
    """How people in one country write dates, postcodes and phone numbers, and which ids
    they carry."""

    code: str
    date_order: DateOrder
    languages: tuple[str, ...]
    postcode: str
    postcode_written: str
    strip_prefix: str
    national_ids: tuple[str, ...]
    number_after_street: bool
    #: Phone numbers are written with a slash after the area code ("030/1234567").
    phone_area_slash: bool


def load(name: str) -> dict[str, Any]:
    """One TOML file of ``crossguard/data`` (``name`` may hold a sub-folder)."""
    resource = files("crossguard").joinpath("data", *name.split("/"))
    return tomllib.loads(resource.read_text(encoding="utf-8"))


@cache
def countries() -> dict[str, Country]:
    """Every country of ``countries.toml`` by ISO code."""
    return {
        code: Country(code, table["date_order"], tuple(table["languages"]), table["postcode"],
                      table["postcode_written"], table.get("strip_prefix", ""),
                      tuple(table.get("national_ids", ())), table["house_number"] == "after",
                      table.get("phone_area_slash", False))
        for code, table in load("countries.toml").items()
    }


def country(code: str) -> Country | None:
    """The rules of ``code`` (upper-case ISO 3166 alpha-2; UK reads as GB), if known."""
    code = code.strip().upper()
    return countries().get("GB" if code == "UK" else code)


@cache
def language_words(language: str) -> dict[str, Any]:
    """The context word lists of one language (``context/<language>.toml``)."""
    return load(f"context/{language}.toml")
