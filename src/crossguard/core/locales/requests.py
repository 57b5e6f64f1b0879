"""Requests to send ID documents, card numbers or passwords by email, in every language.

The words are the ``[request]`` tables of ``crossguard/data/context/<language>.toml``:
``ask`` phrases ("envíenos", "senden Sie uns", "please send"), and what is asked
for, ``document`` ("DNI", "Personalausweis") or ``secret`` ("número de tarjeta").
A sentence holding an ask phrase and one of these is a request.
"""

from __future__ import annotations

import re
from functools import cache

from crossguard.core.locales.data import LANGUAGES, language_words
from crossguard.core.locales.text import fold_same_length

_WORDS = re.compile(r"[a-z0-9]+")
#: Bytes that are not part of a word, read as spaces (for the cheap word-set test).
_SEPARATORS = bytes(c if chr(c).isascii() and chr(c).isalnum() else 32 for c in range(256))
_ENDS = ".!?\n"
#: What each list asks for, as the rule names it.
WHAT = {"document": "ID documents", "secret": "card numbers or passwords"}


def _pattern(phrases: set[str]) -> re.Pattern[str]:
    spelled = sorted(
        (r"[^a-z0-9]{1,3}".join(_WORDS.findall(fold_same_length(phrase))) for phrase in phrases),
        key=len, reverse=True,
    )
    return re.compile(rf"(?<![a-z0-9])(?:{'|'.join(spelled)})(?![a-z0-9])")


@cache
def _tables() -> tuple[re.Pattern[str], dict[str, tuple[re.Pattern[str], frozenset[bytes]]]]:
    lists: dict[str, set[str]] = {"ask": set(), "document": set(), "secret": set()}
    for language in LANGUAGES:
        for name, phrases in language_words(language).get("request", {}).items():
            lists[name].update(phrases)
    wanted = {
        name: (_pattern(lists[name]),
               frozenset(_WORDS.findall(fold_same_length(phrase))[0].encode()
                         for phrase in lists[name]))
        for name in WHAT
    }
    return _pattern(lists["ask"]), wanted


def _sentence(folded: str, at: int) -> tuple[int, int]:
    low = max(folded.rfind(end, 0, at) for end in _ENDS) + 1
    highs = [found for end in _ENDS if (found := folded.find(end, at)) != -1]
    return low, min(highs, default=len(folded))


def requested(text: str) -> set[str]:
    """What ``text`` asks its reader to send by email (values of :data:`WHAT`)."""
    folded = fold_same_length(text)
    words = set(folded.encode("ascii", "replace").translate(_SEPARATORS).split())
    ask, wanted = _tables()
    found: set[str] = set()
    for name, (pattern, firsts) in wanted.items():
        for first in firsts & words:
            needle = first.decode()
            at = folded.find(needle)
            while at != -1 and WHAT[name] not in found:
                low, high = _sentence(folded, at)
                if pattern.match(folded, at) and ask.search(folded, low, high):
                    found.add(WHAT[name])
                at = folded.find(needle, at + len(needle))
    return found
