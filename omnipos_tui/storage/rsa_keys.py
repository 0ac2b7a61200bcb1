"""RSA-SHA1-1024 signing and checking (PKCS#1 v1.5), as Skatteetaten's signature
specification prescribes: a signer from a private key, a verifier from a PEM public key
(as stored in the ``signing_key`` table and printed by ``omnipos keys public``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from omnipos_tui.core.errors import SigningKeyError

RSA_BITS = 1024  # Skatteetaten's validator accepts exactly 1024-bit RSA keys
RSA_EXPONENT = 65537
# SHA-1 below (noqa S303) is what Skatteetaten's signature specification prescribes
# (SHA1withRSA); the algorithm is fixed by the regulation, not chosen here.


class RsaVerifier:
    """Checks RSA-SHA1 (PKCS#1 v1.5) signatures with a public key."""

    algorithm = "RSA-SHA1-1024"

    def __init__(self, public_key: rsa.RSAPublicKey, key_version: str) -> None:
        """Use a 1024-bit public key.

        Raises:
            SigningKeyError: The key is not 1024 bits.
        """
        if public_key.key_size != RSA_BITS:
            raise SigningKeyError(
                f"RSA key version {key_version} has {public_key.key_size} bits; "
                f"signatures need exactly {RSA_BITS}"
            )
        self._public = public_key
        self._version = key_version

    @classmethod
    def from_pem(cls, pem: str | bytes, key_version: str) -> RsaVerifier:
        """A verifier from a PEM public key (as printed by ``omnipos keys public``).

        Raises:
            SigningKeyError: The text is not an RSA public key of 1024 bits.
        """
        data = pem.encode("ascii") if isinstance(pem, str) else pem
        try:
            key = serialization.load_pem_public_key(data)
        except (ValueError, UnsupportedAlgorithm) as exc:
            raise SigningKeyError(f"not a PEM public key: {exc}") from exc
        if not isinstance(key, rsa.RSAPublicKey):
            raise SigningKeyError("the PEM public key is not an RSA key")
        return cls(key, key_version)

    @property
    def key_version(self) -> str:
        """The ``keyVersion`` stored with each signature."""
        return self._version

    def public_pem(self) -> str:
        """The public key as PEM "PUBLIC KEY" (SubjectPublicKeyInfo), as OpenSSL reads it."""
        return self._public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode("ascii")

    def fingerprint(self) -> str:
        """SHA-256 (hex) of the DER public key: identifies the key."""
        der = self._public.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return hashlib.sha256(der).hexdigest()

    def verify(self, message: str, signature: str) -> bool:
        """Whether ``signature`` (base64) is this key's RSA-SHA1 signature of ``message``."""
        try:
            raw = base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError):
            return False
        try:
            sha1 = hashes.SHA1()  # noqa: S303
            self._public.verify(raw, message.encode("utf-8"), padding.PKCS1v15(), sha1)
        except InvalidSignature:
            return False
        return True

    def __repr__(self) -> str:
        return f"{type(self).__name__}(key_version={self._version!r})"


class RsaSigner(RsaVerifier):
    """Signs with an RSA-SHA1-1024 private key (PKCS#1 v1.5, base64, 172 characters)."""

    def __init__(self, private_key: rsa.RSAPrivateKey, key_version: str) -> None:
        """Use a 1024-bit private key.

        Raises:
            SigningKeyError: The key is not 1024 bits.
        """
        super().__init__(private_key.public_key(), key_version)
        self._private = private_key

    @classmethod
    def generate(cls, key_version: str) -> RsaSigner:
        """A new random key (1024 bits, e = 65537)."""
        key = rsa.generate_private_key(public_exponent=RSA_EXPONENT, key_size=RSA_BITS)
        return cls(key, key_version)

    def sign(self, message: str) -> str:
        """The base64 RSA-SHA1 signature of the UTF-8 message."""
        sha1 = hashes.SHA1()  # noqa: S303
        raw = self._private.sign(message.encode("utf-8"), padding.PKCS1v15(), sha1)
        return base64.b64encode(raw).decode("ascii")

    def private_pem(self) -> bytes:
        """The private key as PEM "RSA PRIVATE KEY" (PKCS#1, unencrypted)."""
        return self._private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
