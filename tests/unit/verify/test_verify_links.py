"""Signed links: bound to item, campaign, customer and expiry; a changed byte is refused."""

from __future__ import annotations

import pytest

from crossguard.verify import links

KEY = links.link_key(b"k" * 32)
ITEM = "0123456789abcdef0123456789abcdef"


def test_a_link_names_only_its_item_and_verifies_against_the_stored_row() -> None:
    token = links.sign(KEY, ITEM, "camp", "C0000001", 1_800_000_000.25)
    assert links.item_of(token) == ITEM
    assert "C0000001" not in token
    assert links.verify(KEY, token, "camp", "C0000001", 1_800_000_000.25)


@pytest.mark.parametrize(("campaign", "customer", "expires"), [
    ("camp", "C0000002", 1_800_000_000.25),   # another customer
    ("other", "C0000001", 1_800_000_000.25),  # another campaign
    ("camp", "C0000001", 1_900_000_000.25),   # a later expiry
])
def test_a_link_does_not_fit_another_row(campaign: str, customer: str, expires: float) -> None:
    token = links.sign(KEY, ITEM, "camp", "C0000001", 1_800_000_000.25)
    assert not links.verify(KEY, token, campaign, customer, expires)


def test_other_keys_and_altered_tokens_are_refused() -> None:
    token = links.sign(KEY, ITEM, "camp", "C1", 1.0)
    assert not links.verify(links.link_key(b"j" * 32), token, "camp", "C1", 1.0)
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert not links.verify(KEY, flipped, "camp", "C1", 1.0)
    for bad in ("", ITEM, f"{ITEM}.", f"{ITEM.upper()}.{token[33:]}", token + "x", "../etc"):
        assert links.item_of(bad) is None
        assert not links.verify(KEY, bad, "camp", "C1", 1.0)


def test_link_key_is_not_the_index_key() -> None:
    assert links.link_key(b"k" * 32) != b"k" * 32


def test_form_tokens_are_bound_to_session_and_item() -> None:
    token = links.form_token(KEY, "session-a", ITEM)
    assert links.form_ok(KEY, "session-a", ITEM, token)
    assert not links.form_ok(KEY, "session-b", ITEM, token)
    assert not links.form_ok(KEY, "session-a", "f" * 32, token)
    assert not links.form_ok(KEY, "session-a", ITEM, "")
