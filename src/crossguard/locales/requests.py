"""Requests to send ID documents, card numbers or passwords by email, in every language.

The words are the ``[request]`` tables of ``crossguard/data/context/<language>.toml``:
``ask`` phrases ("envíenos", "senden Sie uns", "please send"), and what is asked
for, ``document`` ("DNI", "Personalausweis") or ``secret`` ("número de tarjeta").
A sentence holding an ask phrase and one of these is a request.
"""

from __future__ import annotations

import re
from functools import cache

from crossguard.locales.data import LANGUAGES, language_words
from crossguard.locales.text import fold_same_length

_WORDS = re.compile(r"[a-z0-9]+")
_SENTENCE = re.compile(r"[^.!?\n]+")
#: What each list asks for, as the rule names it.
WHAT = {"document": "ID documents", "secret": "card numbers or passwords"}


def _pattern(phrases: set[str]) -> re.Pattern[str]:
    spelled = sorted(
        (r"[^a-z0-9]{1,3}".join(_WORDS.findall(fold_same_length(phrase))) for phrase in phrases),
        key=len, reverse=True,
    )
    return re.compile(rf"(?<![a-z0-9])(?:{'|'.join(spelled)})(?![a-z0-9])")


@cache
def _tables() -> tuple[re.Pattern[str], dict[str, re.Pattern[str]], frozenset[str]]:
    lists: dict[str, set[str]] = {"ask": set(), "document": set(), "secret": set()}
    for language in LANGUAGES:
        for name, phrases in language_words(language).get("request", {}).items():
            lists[name].update(phrases)
    firsts = frozenset(_WORDS.findall(fold_same_length(phrase))[0]
                       for name in WHAT for phrase in lists[name])
    return (_pattern(lists["ask"]), {name: _pattern(lists[name]) for name in WHAT}, firsts)


def requested(text: str) -> set[str]:
    """What ``text`` asks its reader to send by email (values of :data:`WHAT`)."""
    folded = fold_same_length(text)
    ask, wanted, firsts = _tables()
    if firsts.isdisjoint(_WORDS.findall(folded)):
        return set()
    found: set[str] = set()
    for sentence in _SENTENCE.finditer(folded):
        chunk = sentence.group()
        for name, pattern in wanted.items():
            if WHAT[name] not in found and pattern.search(chunk) and ask.search(chunk):
                found.add(WHAT[name])
    return found
