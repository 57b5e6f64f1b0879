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
from crossguard.core.locales.text import WordFinder, alternation, fold_same_length

_WORDS = re.compile(r"[a-z0-9]+")
_ENDS = ".!?\n"
#: What each list asks for, as the rule names it.
WHAT = {"document": "ID documents", "secret": "card numbers or passwords"}


def _pattern(phrases: set[str]) -> re.Pattern[str]:
    spelled = alternation((" ".join(_WORDS.findall(fold_same_length(phrase)))
                           for phrase in phrases), {" ": r"[^a-z0-9]{1,3}"})
    return re.compile(rf"(?<![a-z0-9])(?:{spelled})(?![a-z0-9])")


def _first_word(phrase: str) -> str:
    first: str = _WORDS.findall(fold_same_length(phrase))[0]
    return first


@cache
def _tables() -> tuple[re.Pattern[str], dict[str, tuple[re.Pattern[str], frozenset[str]]],
                       WordFinder]:
    lists: dict[str, set[str]] = {"ask": set(), "document": set(), "secret": set()}
    for language in LANGUAGES:
        for name, phrases in language_words(language).get("request", {}).items():
            lists[name].update(phrases)
    wanted = {
        name: (_pattern(lists[name]), frozenset(map(_first_word, lists[name])))
        for name in WHAT
    }
    firsts = WordFinder(word for _, words in wanted.values() for word in words)
    return _pattern(lists["ask"]), wanted, firsts


def _sentence(folded: str, at: int) -> tuple[int, int]:
    low = max(folded.rfind(end, 0, at) for end in _ENDS) + 1
    highs = [found for end in _ENDS if (found := folded.find(end, at)) != -1]
    return low, min(highs, default=len(folded))


def requested(text: str) -> set[str]:
    """What ``text`` asks its reader to send by email (values of :data:`WHAT`)."""
    folded = fold_same_length(text)
    ask, wanted, finder = _tables()
    starts = finder.find(folded).starts
    found: set[str] = set()
    for name, (pattern, firsts) in wanted.items():
        for first in firsts & starts.keys():
            for at in starts[first]:
                if WHAT[name] in found:
                    break
                if not pattern.match(folded, at):  # the word, not the phrase
                    continue
                low, high = _sentence(folded, at)
                if ask.search(folded, low, high):
                    found.add(WHAT[name])
    return found
