"""Bytes to text: the declared charset, then UTF-8, then cp1252, then Latin-1."""

from __future__ import annotations

import codecs
from collections.abc import Callable

NoteFn = Callable[[str, str], None]

_NAME_LIMIT = 40
# Python codecs that are not mail charsets; punycode and idna decode in quadratic time.
_NOT_CHARSETS = frozenset({"idna", "punycode", "unicode-escape", "raw-unicode-escape"})


def charset_name(declared: str | None) -> str | None:
    """A declared charset cleaned of quotes and blanks, lower-cased; None if empty."""
    if not declared:
        return None
    name = declared.strip().strip("\"'").strip().lower()
    return name or None


_WIDE_SAMPLE = 4096


def decode_text(data: bytes, declared: str | None, note: NoteFn) -> str:
    """Decode ``data``; a declared charset that is unknown or does not fit is noted."""
    name = charset_name(declared)
    if name is not None and b"\x00" in data[:_WIDE_SAMPLE] and wide_encoding(data):
        name = None  # UTF-16/32 text declared as an 8-bit charset
    if name is not None:
        shown = repr(name[:_NAME_LIMIT])
        try:
            if codecs.lookup(name).name in _NOT_CHARSETS:
                raise LookupError(name)
            return data.decode(name)
        except UnicodeDecodeError:
            note("charset_mismatch", f"data is not valid {shown}; decoded with a fallback")
        except (LookupError, ValueError, TypeError):
            note("unknown_charset", f"unknown charset {shown}; decoded with a fallback")
    return fallback_decode(data)


def wide_encoding(data: bytes) -> str | None:
    """``utf-32``/``utf-16`` (with a BOM, or ``-le``/``-be`` by the NUL pattern of text), else None.

    Without a BOM, text is UTF-16 when one byte of (nearly) every pair is NUL
    and the other is not, UTF-32 when three of every four are; binary data
    does not keep to either pattern over a sample.
    """
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = data[:_WIDE_SAMPLE]
    if len(sample) < 8 or b"\x00" not in sample:
        return None
    for width, names in ((4, ("utf-32-le", "utf-32-be")), (2, ("utf-16-le", "utf-16-be"))):
        sample = sample[: len(sample) - len(sample) % width]
        units = len(sample) // width
        for name, text_at in zip(names, (0, width - 1), strict=True):
            text_bytes = sample[text_at::width]
            nul = sum(sample[i::width].count(0) for i in range(width) if i != text_at)
            if nul >= (width - 1) * units * 0.95 and text_bytes.count(0) <= units * 0.05:
                return name
    return None


def fallback_decode(data: bytes) -> str:
    """Decode bytes of unknown charset: UTF-32/16 when they look so, UTF-8, else cp1252,
    else Latin-1 (never fails)."""
    wide = wide_encoding(data)
    if wide is not None:
        return data.decode(wide, "replace").lstrip("\ufeff")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def unescape_surrogates(text: str) -> str:
    """Turn a str holding raw 8-bit bytes as surrogate escapes into real text."""
    if text.isascii():
        return text
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return fallback_decode(raw)
