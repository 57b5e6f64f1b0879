"""Candidate fingerprints of message text: tokens, name pairs, street lines, postcodes."""

from __future__ import annotations

import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from crossguard.core.kinds import IndexKind
from crossguard.index import candidates, normalize
from crossguard.index.candidates import (
    Candidates,
    Regions,
    TokenHasher,
    from_text,
    last_fours,
    token_bounds,
    words_of,
)
from crossguard.index.fingerprint import U64, Keyer

KEY = bytes(range(32))
TEXT = ("Dear Jane Q. Smith, your parcel for 12 Baker Street, London SW1A 1AA "
        "(card ending in 4242) left today. O'Brien's order isn't late.")


def _candidates(text: str, cache_size: int = 1_000, regions: tuple[str, ...] = ("US",)
                ) -> tuple[Candidates, np.ndarray]:
    out = Candidates()
    from_text("1", text, TokenHasher(Keyer(KEY), cache_size), out, Regions.of(regions))
    return out, out.array()


def _found(text: str, fingerprint: int, regions: tuple[str, ...] = ("US",)) -> list[str]:
    """The text spans of every candidate equal to ``fingerprint``."""
    out, fps = _candidates(text, regions=regions)
    return [text[slice(*out.span(query))] for query in np.flatnonzero(fps == fingerprint)]


@given(st.text(alphabet="ab Z9'\u2019_-.,\né\u00a0", max_size=60))
@example("9'9'9")  # the token regex joins a word once: "9'9", "9"
def test_words_are_the_token_regex(text: str) -> None:
    assert words_of(text) == normalize.TOKEN.findall(text)


@given(st.text(alphabet="ab Z9'_-.,\n\t\x1c\x0bé", max_size=60))
def test_token_bounds_are_the_token_regex_spans(text: str) -> None:
    expected = [match.span() for match in normalize.TOKEN.finditer(text)]
    assert [tuple(row) for row in token_bounds(text).tolist()] == expected


@given(st.lists(st.sampled_from(["ending in 4242", "ENDS With 1234", "Ends\n", "end\u017f", "send",
                                  "_", "İ", "in ", " ", "4242", "12345", "x"]), max_size=10))
@example(["İ", " ", "ending in 4242"])
def test_last_fours_are_the_patterns_matches(words: list[str]) -> None:
    """Tried only where "end" stands, the pattern finds what it finds run everywhere."""
    text = "".join(words)
    everywhere = candidates._LAST4.finditer(text)
    assert [m.span(1) for m in last_fours(text)] == [m.span(1) for m in everywhere]


def test_name_pairs_both_ways_and_around_a_middle_initial() -> None:
    keyer = Keyer(KEY)
    assert _found(TEXT, keyer.pair(("jane", "smith"), IndexKind.NAME)) == ["Jane Q. Smith"]
    assert _found(TEXT, keyer.pair(("smith", "q"), IndexKind.NAME)) == ["Q. Smith"]
    assert _found("Smith, Jane", keyer.pair(("jane", "smith"), IndexKind.NAME)) == [
        "Smith, Jane"]


def test_a_middle_initial_no_customer_holds_still_joins_the_words_around_it() -> None:
    """"Jane X. Smith" with no customer's name holding "x": no neighbours are a pair,
    and the pair around the initial is still a candidate."""
    keyer = Keyer(KEY)
    held = np.array(sorted({keyer.token("jane"), keyer.token("smith")}), dtype=np.uint64)

    def holds_words(hashes: U64, kind: IndexKind) -> np.ndarray:
        return np.isin(hashes, held) if kind == IndexKind.NAME else np.zeros(len(hashes), bool)

    text = "Dear Jane X. Smith"
    out = Candidates()
    from_text("1", text, TokenHasher(keyer, 100, holds_words), out, Regions.of(("US",)))
    fps = out.array()
    names = np.flatnonzero((fps & np.uint64(0xF)) == np.uint64(int(IndexKind.NAME)))
    assert [text[slice(*out.span(query))] for query in names] == ["Jane X. Smith"]
    assert fps[names[0]] == keyer.pair(("jane", "smith"), IndexKind.NAME)


def test_each_pair_of_neighbouring_words_is_one_name_candidate() -> None:
    """Order-free pair fingerprints: n words give n - 1 name candidates (and one around
    each middle initial), not two."""
    _, fps = _candidates("Dear Jane Q. Smith, thanks")
    names = fps[(fps & np.uint64(0xF)) == np.uint64(int(IndexKind.NAME))]
    assert len(names) == 4 + 1  # 5 words, and "Jane ... Smith" around "Q"


def test_street_lines_postcodes_and_last_four() -> None:
    keyer = Keyer(KEY)
    street = keyer.sequence(["12", "baker", "st"], IndexKind.STREET)
    assert _found(TEXT, street) == ["12 Baker Street"]
    assert _found(TEXT, keyer.exact(IndexKind.POSTCODE, "SW1A1AA")) == ["SW1A 1AA"]
    assert _found(TEXT, keyer.exact(IndexKind.CARD_LAST4, "4242")) == ["4242"]
    assert _found("ZIP 90210", keyer.exact(IndexKind.POSTCODE, "90210")) == ["90210"]


@pytest.mark.parametrize(
    ("text", "line", "span"),
    [("Enviar a Calle Mayor 12, 3º B, 28013 Madrid", ["12", "c", "mayor"], "Calle Mayor 12"),
     ("til Nørregade 10\n1165 København", ["10", "norregade"], "Nørregade 10"),
     ("an Hauptstr. 5", ["5", "hauptst"], "Hauptstr. 5")],
)
def test_street_lines_with_the_number_after_the_street(text: str, line: list[str],
                                                       span: str) -> None:
    street = Keyer(KEY).sequence(line, IndexKind.STREET)
    assert _found(text, street, ("ES", "DK", "DE")) == [span]
    assert _found(text, street, ("US",)) == []  # no country served writes it that way


def test_postcodes_of_the_countries_served() -> None:
    keyer = Keyer(KEY)
    text = "1100-053 Lisboa, 1015 CJ Amsterdam, 111 51 Stockholm"
    assert _found(text, keyer.exact(IndexKind.POSTCODE, "1100053"), ("PT",)) == ["1100-053"]
    assert _found(text, keyer.exact(IndexKind.POSTCODE, "1015CJ"), ("NL",)) == ["1015 CJ"]
    assert _found(text, keyer.exact(IndexKind.POSTCODE, "11151"), ("SE",)) == ["111 51"]


def test_a_full_token_cache_starts_over_with_the_same_result() -> None:
    small, small_fps = _candidates(TEXT, cache_size=3)
    large, large_fps = _candidates(TEXT)
    assert small_fps.tolist() == large_fps.tolist()
    assert [small.span(q) for q in range(len(small_fps))] == [
        large.span(q) for q in range(len(large_fps))]


def test_threads_sharing_a_small_cache_get_every_word_right() -> None:
    """Guard.check runs in a thread pool; cache resets must not mix words up."""
    keyer = Keyer(KEY)
    shared = TokenHasher(keyer, 16)
    texts = [[f"w{thread}x{i % 13}" for i in range(40)] for thread in range(8)]
    expected = [TokenHasher(keyer, 1_000)(words)[0].tolist() for words in texts]

    def hash_often(thread: int) -> bool:
        return all(shared(texts[thread])[0].tolist() == expected[thread] for _ in range(200))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        with ThreadPoolExecutor(8) as pool:
            assert all(pool.map(hash_often, range(8)))
    finally:
        sys.setswitchinterval(interval)


def _held(keyer: Keyer, **words: tuple[str, ...]
          ) -> Callable[[U64, IndexKind], npt.NDArray[np.bool_]]:
    """An index's holds_words that knows ``words`` of each kind (NAME=..., STREET=...)."""
    known = {(keyer.token(word), IndexKind[kind]) for kind, listed in words.items()
             for word in listed}
    return lambda tokens, kind: np.array([(int(token), kind) in known for token in tokens],
                                         dtype=bool)


def test_only_pairs_of_two_name_words_are_candidates() -> None:
    """With an index that knows "jane", "smith" and "q", the pairs of the other words are
    not looked up; the name, the pair around the initial and the streets still are."""
    keyer = Keyer(KEY)
    held = _held(keyer, NAME=("jane", "q", "smith"), STREET=("baker", "st"))
    out = Candidates()
    from_text("1", TEXT, TokenHasher(keyer, 1_000, held), out, Regions.of(("US",)))
    fps = out.array()
    spans = {TEXT[slice(*out.span(query))] for query in range(len(fps))
             if out.kind(query) == IndexKind.NAME}
    assert spans == {"Jane Q", "Q. Smith", "Jane Q. Smith"}
    assert keyer.pair(("jane", "smith"), IndexKind.NAME) in fps.tolist()
    street = keyer.sequence(["12", "baker", "st"], IndexKind.STREET)
    assert street in fps.tolist()
    _, every = _candidates(TEXT)
    assert len(fps) < len(every)


@pytest.mark.parametrize("regions", [("US",), ("ES",)])
def test_only_street_lines_of_street_words_are_candidates(regions: tuple[str, ...]) -> None:
    """Lines after the number (and before it, where a country served writes it so) are
    looked up only while every word but the number is a customer's street word."""
    keyer = Keyer(KEY)
    text = "Ship to 12 Baker Street West, or Calle Mayor 12, order 2024 today"
    held = _held(keyer, STREET=("baker", "st", "c", "mayor"))  # folded: Calle is c
    out = Candidates()
    from_text("1", text, TokenHasher(keyer, 1_000, held), out, Regions.of(regions))
    fps = out.array()
    lines = sorted(text[slice(*out.span(query))] for query in range(len(fps))
                   if out.kind(query) == IndexKind.STREET)
    backward = ["Calle Mayor 12", "Mayor 12"] if regions == ("ES",) else []
    assert lines == sorted(["12 Baker", "12 Baker Street", *backward])
    assert keyer.sequence(["12", "baker", "st"], IndexKind.STREET) in fps.tolist()
