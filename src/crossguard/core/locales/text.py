"""Folding text for matching: accents, case, and the spellings of umlauts and ligatures.

Two forms. :func:`fold_word` makes one token comparable however it was typed
(Müller = Mueller = Muller, Nørregade = Norregade = Noerregade, Zoë = Zoe): it is
what customer values and message words are hashed as. :func:`fold_same_length`
keeps one character per character, so that a match in it is a span of the text.
"""

from __future__ import annotations

import re
import unicodedata

#: Letters NFKD does not decompose, and the one letter each is read as.
_SINGLE = {"ø": "o", "Ø": "o", "æ": "a", "Æ": "a", "œ": "o", "Œ": "o", "ß": "s", "ł": "l",
           "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "þ": "t", "\u0131": "i", "º": "o", "ª": "a"}
#: Vowel digraphs that stand for an umlaut or a ligature when typed without one (ae, oe,
#: ue); folded on both sides, they make "Mueller" and "Müller" one word.
_DIGRAPHS = re.compile(r"(?<=[a-z])([aou])e|^([aou])e(?=[a-z])")


def _same_length_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        if char in _SINGLE:
            table[code] = _SINGLE[char]
            continue
        base = unicodedata.normalize("NFKD", char)[:1].lower()
        if base.isascii() and base.isalpha():
            table[code] = base
    table.update({ord(k): v for k, v in _SINGLE.items()})
    return table


_TABLE = _same_length_table()


def fold_same_length(text: str) -> str:
    """Lower case, Latin accents removed, one character for each character of ``text``."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few letters lower-case to two characters
        lowered = "".join(char.lower()[:1] for char in text)
    return lowered if lowered.isascii() else lowered.translate(_TABLE)


def fold_word(word: str) -> str:
    """One word as it is compared: folded, with umlaut digraphs read as the plain vowel."""
    folded = word.lower() if word.isascii() else word.casefold()  # ß -> ss
    if not folded.isascii():
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = "".join(ch for ch in decomposed  # "¼": keep "14"
                         if (ch.isalnum() or ch in "'\u2019") and not unicodedata.combining(ch))
        folded = folded.casefold().translate(_TABLE)
    while "e" in folded:  # until none is left: "queen" -> "qun" however often folded
        shorter = _DIGRAPHS.sub(lambda m: m.group(1) or m.group(2), folded)
        if shorter == folded:
            break
        folded = shorter
    return folded
