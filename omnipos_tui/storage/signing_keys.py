"""Signing keys in the data directory: RSA-SHA1-1024 (default) or HMAC-SHA1-128.

Layout (``<data_dir>/keys``, mode 0700; every key file mode 0600)::

    rsa-v1.pem      PEM "RSA PRIVATE KEY" (PKCS#1), 1024 bits, e = 65537
    hmac-v2.key     the 16-byte HMAC secret in base64, one line

The number is the ``keyVersion`` written with every signature. Version numbers are shared
by both algorithms and only grow; the highest is the current key. Key files are never
deleted or overwritten: every past version stays, so old signatures keep verifying after
``rotate()``. The chain itself continues across a rotation (that is the services' job).

This module deals with key files only; it does not touch the database.
"""

from __future__ import annotations

import base64
import binascii
import enum
import os
import re
import secrets
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from omnipos_tui.core.errors import SigningKeyError
from omnipos_tui.core.signature import HMAC_KEY_BYTES, HmacSigner, Signer, Verifier

RSA_BITS = 1024  # Skatteetaten's validator accepts exactly 1024-bit RSA keys
RSA_EXPONENT = 65537
_FILE = re.compile(r"^(?P<alg>rsa|hmac)-v(?P<version>[1-9]\d{0,8})\.(?P<ext>pem|key)$")
_EXT = {"rsa": "pem", "hmac": "key"}
# SHA-1 below (noqa S303) is what Skatteetaten's signature specification prescribes
# (SHA1withRSA); the algorithm is fixed by the regulation, not chosen here.


class KeyAlgorithm(enum.StrEnum):
    """Which signature algorithm a key is for."""

    RSA = "rsa"
    HMAC = "hmac"


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


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """One key file.

    Attributes:
        version: The ``keyVersion`` ("1", "2"...).
        algorithm: RSA or HMAC.
        path: Where the file is.
    """

    version: str
    algorithm: KeyAlgorithm
    path: Path


class KeyStore:
    """The signing keys of one installation, in ``<data_dir>/keys``."""

    def __init__(self, data_dir: Path) -> None:
        """Keys under ``data_dir/keys`` (nothing is read or created yet)."""
        self.keys_dir = Path(data_dir) / "keys"
        self._loaded: dict[str, Signer] = {}

    # --- reading ------------------------------------------------------------------------

    def versions(self) -> list[KeyInfo]:
        """Every key file, oldest version first (empty when there are none).

        Raises:
            SigningKeyError: The key directory is open to other users, or two files claim
                the same version.
        """
        if not self.keys_dir.exists():
            return []
        self._check_mode(self.keys_dir, "key directory")
        found: dict[int, KeyInfo] = {}
        for path in self.keys_dir.iterdir():
            match = _FILE.match(path.name)
            if match is None or _EXT[match["alg"]] != match["ext"]:
                continue
            number = int(match["version"])
            if number in found:
                raise SigningKeyError(
                    f"two key files claim version {number}: {found[number].path.name} and "
                    f"{path.name} in {self.keys_dir}"
                )
            found[number] = KeyInfo(str(number), KeyAlgorithm(match["alg"]), path)
        return [found[n] for n in sorted(found)]

    def current(self) -> Signer:
        """The signer of the newest key version.

        Raises:
            SigningKeyError: There is no key yet, or its file is unsafe or corrupt.
        """
        infos = self.versions()
        if not infos:
            raise SigningKeyError(
                f"no signing key in {self.keys_dir}; run 'omnipos init' to create one"
            )
        return self._load(infos[-1])

    def verifier(self, version: str) -> Verifier | None:
        """The verifier of a key version, or None when no such version exists.

        Raises:
            SigningKeyError: The file exists but is unsafe or corrupt.
        """
        info = self._find(version)
        return None if info is None else self._load(info)

    def public_pem(self, version: str | None = None) -> str:
        """The PEM public key of an RSA key version (default: the current one), for
        RF-1348 and for checking signatures with OpenSSL.

        Raises:
            SigningKeyError: No such version, or it is an HMAC key (which has no public
                part; see :meth:`hmac_secret_base64`).
        """
        signer = self.current() if version is None else self._require(version)
        if not isinstance(signer, RsaSigner):
            raise SigningKeyError(
                f"key version {signer.key_version} is an HMAC key and has no public key; "
                "its secret is declared in RF-1348 instead"
            )
        return signer.public_pem()

    def hmac_secret_base64(self, version: str | None = None) -> str:
        """The base64 secret of an HMAC key version (default: the current one), as
        declared in RF-1348.

        Raises:
            SigningKeyError: No such version, or it is an RSA key.
        """
        info = self._latest_or(version)
        if info.algorithm is not KeyAlgorithm.HMAC:
            raise SigningKeyError(f"key version {info.version} is an RSA key, not HMAC")
        return base64.b64encode(self._read_hmac(info)).decode("ascii")

    # --- creating -----------------------------------------------------------------------

    def create(self, algorithm: KeyAlgorithm = KeyAlgorithm.RSA) -> Signer:
        """Create key version 1 (``omnipos init``).

        Raises:
            SigningKeyError: Keys already exist, or the directory cannot be written.
        """
        if self.versions():
            raise SigningKeyError(
                f"signing keys already exist in {self.keys_dir}; use 'omnipos keys rotate'"
            )
        return self._new_version(1, algorithm)

    def rotate(self, algorithm: KeyAlgorithm | None = None) -> Signer:
        """Create the next key version and make it current.

        Args:
            algorithm: The new key's algorithm; by default the same as the current key.

        Raises:
            SigningKeyError: There is no key yet, or the directory cannot be written.
        """
        infos = self.versions()
        if not infos:
            raise SigningKeyError(f"no signing key in {self.keys_dir} to rotate; run init")
        return self._new_version(int(infos[-1].version) + 1, algorithm or infos[-1].algorithm)

    # --- internals ----------------------------------------------------------------------

    def _find(self, version: str) -> KeyInfo | None:
        return next((i for i in self.versions() if i.version == version), None)

    def _require(self, version: str) -> Signer:
        info = self._find(version)
        if info is None:
            raise SigningKeyError(f"no key version {version!r} in {self.keys_dir}")
        return self._load(info)

    def _latest_or(self, version: str | None) -> KeyInfo:
        infos = self.versions()
        if not infos:
            raise SigningKeyError(f"no signing key in {self.keys_dir}; run 'omnipos init'")
        if version is None:
            return infos[-1]
        info = next((i for i in infos if i.version == version), None)
        if info is None:
            raise SigningKeyError(f"no key version {version!r} in {self.keys_dir}")
        return info

    def _load(self, info: KeyInfo) -> Signer:
        if info.version in self._loaded:
            return self._loaded[info.version]
        signer: Signer
        if info.algorithm is KeyAlgorithm.HMAC:
            signer = HmacSigner(self._read_hmac(info), info.version)
        else:
            signer = RsaSigner(self._read_rsa(info), info.version)
        self._loaded[info.version] = signer
        return signer

    def _read(self, info: KeyInfo) -> bytes:
        self._check_mode(info.path, "key file")
        try:
            return info.path.read_bytes()
        except OSError as exc:
            raise SigningKeyError(f"cannot read key file {info.path}: {exc.strerror}") from exc

    def _read_rsa(self, info: KeyInfo) -> rsa.RSAPrivateKey:
        data = self._read(info)
        try:
            key = serialization.load_pem_private_key(data, password=None)
        except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
            raise SigningKeyError(
                f"key file {info.path} is not a readable unencrypted PEM private key"
            ) from exc
        if not isinstance(key, rsa.RSAPrivateKey):
            raise SigningKeyError(f"key file {info.path} does not hold an RSA key")
        if key.key_size != RSA_BITS:
            raise SigningKeyError(
                f"key file {info.path} holds a {key.key_size}-bit key; exactly {RSA_BITS} needed"
            )
        return key

    def _read_hmac(self, info: KeyInfo) -> bytes:
        data = self._read(info)
        try:
            secret = base64.b64decode(data.strip(), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise SigningKeyError(f"key file {info.path} is not one line of base64") from exc
        if len(secret) != HMAC_KEY_BYTES:
            raise SigningKeyError(
                f"key file {info.path} holds {len(secret)} bytes; an HMAC-SHA1 key has "
                f"{HMAC_KEY_BYTES}"
            )
        return secret

    @staticmethod
    def _check_mode(path: Path, what: str) -> None:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except OSError as exc:
            raise SigningKeyError(f"cannot read {what} {path}: {exc.strerror}") from exc
        if mode & 0o077:
            wanted = "0700" if what == "key directory" else "0600"
            raise SigningKeyError(
                f"{what} {path} has mode {mode:04o}: other users may read it; "
                f"run 'chmod {wanted[1:]} {path}'"
            )

    def _new_version(self, number: int, algorithm: KeyAlgorithm) -> Signer:
        version = str(number)
        signer: Signer
        if algorithm is KeyAlgorithm.RSA:
            rsa_signer = RsaSigner.generate(version)
            content = rsa_signer.private_pem()
            signer = rsa_signer
        else:
            secret = secrets.token_bytes(HMAC_KEY_BYTES)
            content = base64.b64encode(secret) + b"\n"
            signer = HmacSigner(secret, version)
        path = self.keys_dir / f"{algorithm.value}-v{number}.{_EXT[algorithm.value]}"
        self._write_new(path, content)
        self._loaded[version] = signer
        return signer

    def _write_new(self, path: Path, content: bytes) -> None:
        """Write a file that must not exist yet, completely or not at all, mode 0600."""
        try:
            if not self.keys_dir.exists():
                self.keys_dir.mkdir(mode=0o700, parents=True)
                os.chmod(self.keys_dir, 0o700)  # whatever the umask was
            self._check_mode(self.keys_dir, "key directory")
            # mkstemp creates the file 0600; a hard link then publishes it under its final
            # name only if that name is free, so a crash or a concurrent rotate never
            # leaves a half-written or overwritten key.
            fd, tmp = tempfile.mkstemp(dir=self.keys_dir, prefix=".new-key-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(content)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.link(tmp, path)
            finally:
                os.unlink(tmp)
            dir_fd = os.open(self.keys_dir, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except FileExistsError as exc:
            raise SigningKeyError(
                f"{path.name} was created by another process at the same time; try again"
            ) from exc
        except OSError as exc:
            raise SigningKeyError(f"cannot write key file {path}: {exc.strerror}") from exc
