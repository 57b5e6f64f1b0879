"""Signed upload links: a random item id and an HMAC binding it to its customer and expiry.

A link is ``ITEM.MAC``: ``ITEM`` is 128 random bits (hex), ``MAC`` the first 192
bits of ``HMAC-SHA256(link key, item ‖ campaign ‖ customer ‖ expiry)``. The link
names no customer and holds no personal data; the MAC is checked against the
stored row, so a link cannot be moved to another customer or given a new expiry,
and a guessed or altered one is refused. Single use, expiry and revocation are
the row's state. The link key is derived from the index key, never equal to it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

LINK_INFO = b"crossguard/verify-links/hmac-sha256/v1"
_SHAPE = re.compile(r"^([0-9a-f]{32})\.([A-Za-z0-9_-]{32})$")


def link_key(secret_key: bytes) -> bytes:
    """The key that signs links and upload forms, derived from the index key."""
    return hmac.new(secret_key, LINK_INFO, hashlib.sha256).digest()


def new_item_id() -> str:
    """A fresh random item id (128 bits, hex)."""
    return secrets.token_hex(16)


def _mac(key: bytes, *fields: str) -> str:
    digest = hmac.new(key, "\x1f".join(fields).encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode("ascii")


def sign(key: bytes, item_id: str, campaign_id: str, customer_id: str, expires_at: float) -> str:
    """The link token of one item."""
    return f"{item_id}.{_mac(key, 'link', item_id, campaign_id, customer_id, repr(expires_at))}"


def item_of(token: str) -> str | None:
    """The item id a well-formed token names (not yet checked), else None."""
    match = _SHAPE.match(token)
    return match.group(1) if match else None


def verify(key: bytes, token: str, campaign_id: str, customer_id: str,
           expires_at: float) -> bool:
    """Whether ``token`` is the signed link of the stored item it names."""
    item_id = item_of(token)
    if item_id is None:
        return False
    return hmac.compare_digest(token, sign(key, item_id, campaign_id, customer_id, expires_at))


def form_token(key: bytes, session_csrf: str, item_id: str) -> str:
    """The CSRF token of one item's upload form in one browser session."""
    return _mac(key, "form", session_csrf, item_id)


def form_ok(key: bytes, session_csrf: str, item_id: str, submitted: str) -> bool:
    """Whether a submitted form token belongs to this session and this item."""
    return bool(submitted) and hmac.compare_digest(
        form_token(key, session_csrf, item_id), submitted)
