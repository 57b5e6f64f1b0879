"""Matching helpers of crossguard.core.locales.text: trie alternations and the word finder."""

from __future__ import annotations

import re
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crossguard.core.locales.text import WordFinder, alternation, fold_same_length

WORDS = ["may", "mar", "march", "mai", "ma", "marzo", "mär", "d.o.b", "n+1"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("march", "march"), ("marzo", "marzo"), ("mar", "mar"), ("marc", "mar"), ("ma", "ma"),
     ("mär", "mär"), ("d.o.b", "d.o.b"), ("dxoxb", None), ("n+1", "n+1"), ("nn1", None)],
)
def test_alternation_matches_the_longest_word(text: str, expected: str | None) -> None:
    match = re.compile(alternation(WORDS)).match(text)
    assert (match.group() if match else None) == expected


def test_alternation_spells_characters_as_patterns() -> None:
    pattern = re.compile(alternation(["date of birth", "dob"], {" ": r"[^a-z]{1,3}"}) + r"\Z")
    assert pattern.match("date-of  birth") and pattern.match("dob")
    assert not pattern.match("dateofbirth")


@given(st.lists(st.text(alphabet="abc.", min_size=1, max_size=4), min_size=1, max_size=8),
       st.text(alphabet="abc.", max_size=12))
def test_alternation_is_the_sorted_alternation(words: list[str], text: str) -> None:
    plain = "|".join(sorted(map(re.escape, set(words)), key=len, reverse=True))
    for start in range(len(text) + 1):
        want = re.compile(f"(?:{plain})").match(text, start)
        got = re.compile(alternation(words)).match(text, start)
        assert (want and want.group()) == (got and got.group())


def test_word_finder_finds_whole_words_only() -> None:
    finder = WordFinder(["card", "number", "id", "ñu"])
    text = fold_same_length("Card number: ID.card, cardnumber xcard жcard idcard id")
    found = finder.find(text)
    assert found.starts == {"card": [0, 16, 40], "number": [5], "id": [13, 52]}
    assert all(text[at : at + len(word)] == word for word, starts in found.starts.items()
               for at in starts)


def test_words_hold_every_whole_word_of_the_text() -> None:
    words = WordFinder(["card"]).find(fold_same_length("Your cardnumber, Número: 12"))
    assert "card" not in words
    assert all(word in words for word in ("your", "cardnumber", "numero", "12"))
    assert "numer" not in words and "our" not in words


def test_word_finder_with_no_words_finds_nothing() -> None:
    assert WordFinder([]).find("anything").starts == {}


def test_word_finder_scans_from_several_threads_at_once() -> None:
    finder = WordFinder(["card", "number", "id"])
    text = fold_same_length("Card number: ID.card, cardnumber id. " * 400)
    expected = finder.find(text).starts
    results: list[dict[str, list[int]]] = []

    def scan() -> None:
        results.extend(finder.find(text).starts for _ in range(200))

    threads = [threading.Thread(target=scan) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 800 and all(found == expected for found in results)
