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


def decode_text(data: bytes, declared: str | None, note: NoteFn) -> str:
    """Decode ``data``; a declared charset that is unknown or does not fit is noted."""
    name = charset_name(declared)
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


def fallback_decode(data: bytes) -> str:
    """Decode bytes of unknown charset: UTF-8, else cp1252, else Latin-1 (never fails)."""
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
