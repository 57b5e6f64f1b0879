"""Requests for documents, cards or passwords, read from every language's data file."""

from __future__ import annotations

import pytest

from crossguard.core.locales.data import LANGUAGES, language_words
from crossguard.core.locales.requests import WHAT, requested

CASES = [
    (language, ask, name, phrase)
    for language in LANGUAGES
    for name, phrases in language_words(language).get("request", {}).items() if name in WHAT
    for phrase in phrases
    for ask in language_words(language)["request"]["ask"][:2]
]


@pytest.mark.parametrize(("language", "ask", "name", "phrase"), CASES)
def test_every_listed_request_is_read(language: str, ask: str, name: str, phrase: str) -> None:
    assert requested(f"Hello.\n{ask.capitalize()} {phrase.upper()}, thanks!") == {WHAT[name]}


@pytest.mark.parametrize(("language", "ask", "name", "phrase"), CASES[::7])
def test_a_request_needs_its_ask_in_the_same_sentence(language: str, ask: str, name: str,
                                                      phrase: str) -> None:
    assert requested(f"{ask}. We hold your {phrase}s and {phrase}") == set()
