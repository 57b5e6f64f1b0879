"""Text normalization that defeats cheap obfuscation and remembers original offsets.

Layers, each a list of edits ``(start, end, replacement)`` over its input, each
applied only when its cheap trigger is in the text:

1. Right-to-left override runs read in display order (:mod:`.evasion`).
2. Unicode: NFKC per character cluster (full-width digits, ligatures, compatibility
   forms, exotic spaces), zero-width, bidi-control characters and soft hyphens
   removed, dash-like characters read as ``-``, curly quotes as straight ones,
   Cyrillic and Greek lookalikes as the Latin letter, the decimal digits of every
   script (Arabic-Indic, Devanagari...) as ASCII ones, and the combining marks and
   variation selectors on a digit dropped.
3. Percent-encoding, inline HTML tags, line breaks inside an address, base64
   inline (:mod:`.evasion`).
4. Spelled-out e-mail addresses: ``john dot doe at example dot com``,
   ``john[at]example(dot)com`` become ``john.doe@example.com``.

Digits split by spaces, dots, dashes or line breaks are left in place: the
number detectors read such separators themselves, so spans stay exact.
Plain ASCII text without obfuscation markers takes a fast path with no copy.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from crossguard.detect import evasion

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff"), "")
_BIDI = dict.fromkeys(map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067"
                             "\u2068\u2069"), "")
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"), "-")
_QUOTES = {
    **dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u2032"), "'"),
    **dict.fromkeys(map(ord, "\u201c\u201d\u201e\u201f\u2033"), '"'),
}
_CHAR_MAP = {**_ZERO_WIDTH, **_BIDI, **_DASHES, **_QUOTES, **evasion.homoglyphs()}

# Combining marks, and the variation selectors that dress a digit as an emoji ("4\ufe0f").
_MARKS = r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f]"
# A non-ASCII character, or any character followed by combining marks.
_CLUSTER = re.compile(rf"(?s).{_MARKS}+|[^\x00-\x7f]")
_DIGIT_MARKS = re.compile(rf"(?<=[0-9]){_MARKS}+")
# A decimal digit of another script (Arabic-Indic, Devanagari, Thai...): NFKC keeps them.
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")
# Either of the two, or marks on a digit: the text needs digits read as ASCII ones.
_DIGIT_DRESS = re.compile(rf"(?![0-9])\d|[0-9]{_MARKS}")
_OPEN, _CLOSE = r"[\[\(\{<]", r"[\]\)\}>]"
_AT = rf"(?:[ \t]*{_OPEN}[ \t]*at[ \t]*{_CLOSE}[ \t]*|[ \t]+at[ \t]+)"
_DOT = rf"(?:[ \t]*{_OPEN}[ \t]*dot[ \t]*{_CLOSE}[ \t]*|[ \t]+dot[ \t]+|\.)"
_WORD = r"[a-z0-9_%+\-]+"
# Cheap triggers (in the lower-cased text): a spelled "dot" or a bracketed "at".
_BRACKETED_AT = re.compile(r"at ?[\])}>]")
_SPELLED_EMAIL = re.compile(
    rf"(?i)(?<![\w.@])({_WORD}(?:{_DOT}{_WORD})*)({_AT})({_WORD}(?:{_DOT}{_WORD})*{_DOT}[a-z]{{2,24}})\b"
)
_DOT_TOKEN = re.compile(_DOT, re.IGNORECASE)
_BRACKET = re.compile(_OPEN)


@dataclass(frozen=True, slots=True)
class _Layer:
    """Edits applied to one text: ``edits[i] = (src_start, src_end, dst_start, dst_end)``."""

    edits: tuple[tuple[int, int, int, int], ...]
    dst_starts: tuple[int, ...]

    def map_start(self, pos: int) -> int:
        """Source position of the character at destination ``pos``."""
        i = bisect_right(self.dst_starts, pos) - 1
        if i < 0:
            return pos
        src_start, src_end, _, dst_end = self.edits[i]
        if pos < dst_end:
            return src_start
        return src_end + (pos - dst_end)

    def map_end(self, pos: int) -> int:
        """Source position just after the character ending at destination ``pos``."""
        i = bisect_right(self.dst_starts, pos - 1) - 1
        if i < 0:
            return pos
        src_start, src_end, dst_start, dst_end = self.edits[i]
        if pos <= dst_end:
            return src_end if pos > dst_start else src_start
        return src_end + (pos - dst_end)


def _apply(text: str, edits: list[tuple[int, int, str]]) -> tuple[str, _Layer]:
    """Apply sorted, non-overlapping edits; return the new text and its offset layer."""
    pieces: list[str] = []
    spans: list[tuple[int, int, int, int]] = []
    cursor = 0
    out_len = 0
    for start, end, replacement in edits:
        pieces.append(text[cursor:start])
        out_len += start - cursor
        pieces.append(replacement)
        spans.append((start, end, out_len, out_len + len(replacement)))
        out_len += len(replacement)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces), _Layer(tuple(spans), tuple(span[2] for span in spans))


def _layer(text: str, edits: list[tuple[int, int, str]], layers: list[_Layer]) -> str:
    """Apply ``edits`` (if any) as one more layer; the text after them."""
    if not edits:
        return text
    text, layer = _apply(text, edits)
    layers.append(layer)
    return text


def _unicode_edits(text: str) -> list[tuple[int, int, str]]:
    edits: list[tuple[int, int, str]] = []
    dressed = _DIGIT_DRESS.search(text) is not None
    for match in _CLUSTER.finditer(text):
        cluster = match.group()
        replacement = unicodedata.normalize("NFKC", cluster).translate(_CHAR_MAP)
        if dressed and not replacement.isascii():
            replacement = _DIGIT_MARKS.sub("", _OTHER_DIGIT.sub(_ascii_digit, replacement))
        if replacement != cluster:
            edits.append((match.start(), match.end(), replacement))
    return edits


def _ascii_digit(match: re.Match[str]) -> str:
    """A decimal digit of any script as its ASCII digit."""
    return str(unicodedata.decimal(match.group()))


def _email_edits(text: str) -> list[tuple[int, int, str]]:
    edits: list[tuple[int, int, str]] = []
    for match in _SPELLED_EMAIL.finditer(text):
        at_token = match.group(2)
        spelled_dots = [m for m in _DOT_TOKEN.finditer(match.group()) if m.group() != "."]
        if not _BRACKET.search(at_token) and not spelled_dots:
            continue  # "reach us at example.com" is prose, not an address
        base = match.start()
        edits.append((match.start(2), match.end(2), "@"))
        edits.extend((base + m.start(), base + m.end(), ".") for m in spelled_dots)
    edits.sort()
    # A spelled dot can share a space with the "at" beside it ("x AT  DOT y"): keep the
    # first of two edits that overlap, as a layer maps only edits apart.
    kept: list[tuple[int, int, str]] = []
    for edit in edits:
        if not kept or edit[0] >= kept[-1][1]:
            kept.append(edit)
    return kept


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Normalized text plus the way back to spans of the original text."""

    original: str
    text: str
    layers: tuple[_Layer, ...] = ()
    _cache: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    @property
    def is_identity(self) -> bool:
        """True when the normalized text is the original text."""
        return not self.layers

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of :attr:`text` to the span of :attr:`original` it came from."""
        for layer in reversed(self.layers):
            start, end = layer.map_start(start), layer.map_end(end)
        end = max(start, end)
        return start, end

    @property
    def lower(self) -> str | None:
        """The text lower-cased, when that keeps every offset (else None); computed once."""
        if "lower" not in self._cache:
            lower = self.text.lower()
            self._cache["lower"] = lower if len(lower) == len(self.text) else None
        value = self._cache["lower"]
        return value if isinstance(value, str) else None

    @property
    def cache(self) -> dict[str, object]:
        """Scratch space shared by detectors scanning this text (e.g. digit runs)."""
        return self._cache


_LAYERS: tuple[tuple[Callable[[str], bool], Callable[[str], list[tuple[int, int, str]]]], ...] = (
    (lambda text: "%" in text, evasion.percent_edits),
    (lambda text: "<" in text, evasion.tag_edits),
    (lambda text: "@" in text and "\n" in text, evasion.break_edits),
    (lambda text: True, evasion.base64_edits),
)


def normalize(text: str) -> NormalizedText:
    """Normalize ``text`` for detection, keeping an offset map back to it."""
    layers: list[_Layer] = []
    current = text
    if not current.isascii():
        if "\u202e" in current:
            current = _layer(current, evasion.reversed_runs(current), layers)
        current = _layer(current, _unicode_edits(current), layers)
    for trigger, edits_of in _LAYERS:
        if trigger(current):
            current = _layer(current, edits_of(current), layers)
    lower = current.lower()
    if "dot" in lower or _BRACKETED_AT.search(lower):
        edits = _email_edits(current)
        if edits:
            current, layer = _apply(current, edits)
            layers.append(layer)
            if "@" in current and "\n" in current:  # "jane [at] exam\nple.com"
                current = _layer(current, evasion.break_edits(current), layers)
            lower = current.lower()
    normalized = NormalizedText(text, current, tuple(layers))
    normalized.cache["lower"] = lower if len(lower) == len(current) else None
    return normalized
