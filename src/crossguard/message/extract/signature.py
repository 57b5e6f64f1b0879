"""S/MIME signatures (``smime.p7s``): the names their certificates show are the part's text.

A detached signature (``multipart/signed``) holds the signer's certificates and a
signer info (digests, signing time, the signature). The certificates' subjects,
issuers and e-mail addresses are read. What is not a certificate is bounded: a
part labelled a signature carries no more than a signer info would, or it is
noted ``unreadable_signature``; so is a part that is not a PKCS #7 structure.

An ``application/pkcs7-mime`` part (``smime.p7m``) wraps the message itself. Signed
data (opaque signing) is read with asn1crypto: the message it wraps as a nested one,
its certificates' names as the part's text. Enveloped (encrypted) data, or anything
else, is noted ``encrypted_content``.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from crossguard.message.context import Leaf, ParseContext

if TYPE_CHECKING:
    from cryptography import x509

SIGNATURE_TYPES = frozenset({"application/pkcs7-signature", "application/x-pkcs7-signature"})
SMIME_TYPES = frozenset({"application/pkcs7-mime", "application/x-pkcs7-mime"})
#: The most bytes a signature holds besides its certificates (a signer info with its signed
#: attributes is about 0.4 to 1.5 KB).
MAX_SIGNER_BYTES = 4096


def extract_signature(leaf: Leaf, ctx: ParseContext) -> str:
    """The names of a signature's certificates, a line each."""
    from cryptography.hazmat.primitives.serialization import Encoding

    certificates = _certificates(leaf, ctx)
    if certificates is None:
        return ""
    rest = leaf.data
    for certificate in certificates:
        rest = rest.replace(certificate.public_bytes(Encoding.DER), b"")
    _bound(len(rest), leaf, ctx)
    return "\n".join(name for certificate in certificates for name in _names(certificate))


def extract_smime(leaf: Leaf, ctx: ParseContext) -> str:
    """An S/MIME message part: the message an opaque signature wraps, under
    ``<path>/message/``, and the names of the signer's certificates."""
    from asn1crypto import cms  # loaded on the first smime.p7m

    try:
        info = cms.ContentInfo.load(leaf.data)
        signed = info["content"] if info["content_type"].native == "signed_data" else None
        wrapped = signed["encap_content_info"]["content"].native if signed else None
        signer = sum(len(signed[name].dump()) for name in ("signer_infos", "crls")) if signed else 0
    except Exception:  # asn1crypto raises ValueError, TypeError... on damaged structures
        wrapped = None
    if not isinstance(wrapped, bytes):
        ctx.note("encrypted_content", leaf.path, "encrypted content cannot be read")
        return ""
    ctx.read_mime(wrapped, f"{leaf.path}/message/", leaf.depth + 1)
    _bound(signer, leaf, ctx)
    certificates = _certificates(leaf, ctx)
    return "\n".join(name for certificate in certificates or () for name in _names(certificate))


def _certificates(leaf: Leaf, ctx: ParseContext) -> list[x509.Certificate] | None:
    """The certificates of a PKCS #7 structure; None (noted) when it is not one."""
    from cryptography.hazmat.primitives.serialization import pkcs7  # on first use

    try:
        with warnings.catch_warnings():  # BER (some clients' encoding) is read with a warning
            warnings.simplefilter("ignore", UserWarning)
            return pkcs7.load_der_pkcs7_certificates(leaf.data)
    except ValueError as error:
        ctx.note("unreadable_signature", leaf.path,
                 f"not a PKCS #7 signature ({type(error).__name__}); not read")
        return None


def _bound(unread: int, leaf: Leaf, ctx: ParseContext) -> None:
    """Note a signature that carries more unread bytes than a signer info would."""
    if unread > MAX_SIGNER_BYTES:
        ctx.note("unreadable_signature", leaf.path,
                 f"{unread} bytes besides its certificates, over {MAX_SIGNER_BYTES}; not read")


def _names(certificate: x509.Certificate) -> list[str]:
    """A certificate's subject and issuer attribute values and its e-mail and DNS names."""
    from cryptography import x509
    values = [attribute.value for name in (certificate.subject, certificate.issuer)
              for attribute in name]
    try:
        alternatives = certificate.extensions.get_extension_for_class(
            x509.SubjectAlternativeName).value
        values += alternatives.get_values_for_type(x509.RFC822Name)
        values += alternatives.get_values_for_type(x509.DNSName)
    except (x509.ExtensionNotFound, ValueError):
        pass
    return [value if isinstance(value, str) else value.decode("utf-8", "replace")
            for value in values]
