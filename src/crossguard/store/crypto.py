"""At-rest encryption of the message bodies kept in the database: AES-256-GCM, key by HKDF.

Quarantined bodies and released bodies waiting in the spool are both sealed.
The key is derived from the secret index key with a distinct ``info`` string,
so the body key is never the fingerprint key. The entry's name (quarantine
id, or ``spool/`` + spool id) is bound as associated data: a body cannot be
moved to another entry.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from crossguard.errors import StoreError

INFO = b"crossguard/quarantine-body/aes-256-gcm/v1"
NONCE_BYTES = 12


class BodyCipher:
    """Encrypt and decrypt message bodies kept in the database."""

    def __init__(self, secret_key: bytes) -> None:
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INFO).derive(
            secret_key
        )
        self._aead = AESGCM(derived)

    def encrypt(self, entry_id: str, body: bytes) -> bytes:
        """``nonce ‖ ciphertext`` of ``body`` bound to ``entry_id``."""
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, body, entry_id.encode("ascii"))

    def decrypt(self, entry_id: str, blob: bytes) -> bytes:
        """The body, or StoreError when the key is wrong or the blob was altered."""
        try:
            return self._aead.decrypt(
                blob[:NONCE_BYTES], blob[NONCE_BYTES:], entry_id.encode("ascii")
            )
        except (InvalidTag, ValueError):
            raise StoreError(
                f"{entry_id}: body does not decrypt (wrong key or altered)"
            ) from None
