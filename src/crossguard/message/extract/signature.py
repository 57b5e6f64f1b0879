"""S/MIME signatures (``smime.p7s``): the names their certificates show are the part's text.

A detached signature (``multipart/signed``) holds the signer's certificates and a
signer info (digests, signing time, the signature). The certificates' subjects,
issuers and e-mail addresses are read. What is not a certificate is bounded: a
part labelled a signature carries no more than a signer info would, or it is
noted ``unreadable_signature``; so is a part that is not a PKCS #7 structure.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from crossguard.message.context import Leaf, ParseContext

if TYPE_CHECKING:
    from cryptography import x509

SIGNATURE_TYPES = frozenset({"application/pkcs7-signature", "application/x-pkcs7-signature"})
#: The most bytes a signature holds besides its certificates (a signer info with its signed
#: attributes is about 0.4 to 1.5 KB).
MAX_SIGNER_BYTES = 4096


def extract_signature(leaf: Leaf, ctx: ParseContext) -> str:
    """The names of a signature's certificates, a line each."""
    from cryptography.hazmat.primitives.serialization import Encoding, pkcs7  # on first use

    try:
        with warnings.catch_warnings():  # BER (some clients' encoding) is read with a warning
            warnings.simplefilter("ignore", UserWarning)
            certificates = pkcs7.load_der_pkcs7_certificates(leaf.data)
    except ValueError as error:
        ctx.note("unreadable_signature", leaf.path,
                 f"not a PKCS #7 signature ({type(error).__name__}); not read")
        return ""
    rest = leaf.data
    for certificate in certificates:
        rest = rest.replace(certificate.public_bytes(Encoding.DER), b"")
    if len(rest) > MAX_SIGNER_BYTES:
        ctx.note("unreadable_signature", leaf.path,
                 f"{len(rest)} bytes besides its certificates, over {MAX_SIGNER_BYTES}; not read")
    return "\n".join(name for certificate in certificates for name in _names(certificate))


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
