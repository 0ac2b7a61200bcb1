"""Signing keys in the data directory: RSA-SHA1-1024 (default) or HMAC-SHA1-128.

Layout (``<data_dir>/keys``, mode 0700; every key file mode 0600)::

    rsa-<register>-v1.pem   PEM "RSA PRIVATE KEY" (PKCS#1), 1024 bits, e = 65537
    hmac-<register>-v2.key  the 16-byte HMAC secret in base64, one line
    rsa-v1.pem              a key made before key versions named their register

A key's ``keyVersion`` (written with every signature) is "<register>-<n>", so versions
are unique across the registers of a shared database; a file without a register (made by
an older OmniPOS) keeps its plain version "<n>" and is a key of whatever register signs
with it. The register part of a file name is percent-encoded. Numbers are shared by both
algorithms and only grow; the highest is the register's current key. Key files are never
deleted or overwritten: every past version stays, so old signatures keep verifying after
``rotate()``. The chain itself continues across a rotation (that is the services' job).

This module deals with key files only; the public parts go into the database through the
key service (``services/keys.py``).
"""

from __future__ import annotations

import base64
import binascii
import enum
import hashlib
import os
import re
import secrets
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from omnipos_tui.core.errors import SigningKeyError
from omnipos_tui.core.ledger.signature import HMAC_KEY_BYTES, HmacSigner, Signer, Verifier
from omnipos_tui.storage.rsa_keys import RSA_BITS, RSA_EXPONENT, RsaSigner, RsaVerifier

__all__ = [
    "RSA_BITS",
    "RSA_EXPONENT",
    "KeyAlgorithm",
    "KeyInfo",
    "KeyStore",
    "RsaSigner",
    "RsaVerifier",
    "key_identity",
]

_FILE = re.compile(
    r"^(?P<alg>rsa|hmac)-(?:(?P<reg>[A-Za-z0-9_.~%-]+?)-)?"
    r"v(?P<number>[1-9]\d{0,8})\.(?P<ext>pem|key)$"
)
_EXT = {"rsa": "pem", "hmac": "key"}
# What an HMAC key's fingerprint is made from: the secret's HMAC of a fixed text, hashed
# again, so the database can tell a secret apart without holding anything that reveals it.
_HMAC_CHECK = "OmniPOS signing key check"


def key_identity(signer: Verifier) -> tuple[str, str]:
    """The public PEM (empty for HMAC) and the fingerprint of a key, as recorded in the
    database. A signer that cannot sign (an RSA public key) has no HMAC fingerprint."""
    if isinstance(signer, RsaVerifier):
        return signer.public_pem(), signer.fingerprint()
    if isinstance(signer, HmacSigner):
        check = signer.sign(_HMAC_CHECK).encode("ascii")
        return "", hashlib.sha256(check).hexdigest()
    raise SigningKeyError(f"no identity for a {type(signer).__name__}")


class KeyAlgorithm(enum.StrEnum):
    """Which signature algorithm a key is for."""

    RSA = "rsa"
    HMAC = "hmac"


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """One key file.

    Attributes:
        version: The ``keyVersion`` ("1-1", "1-2"...; "1" for a file of an older OmniPOS).
        algorithm: RSA or HMAC.
        path: Where the file is.
        number: The version's number (what orders a register's keys).
        register_id: The register it belongs to; None for a file without one.
    """

    version: str
    algorithm: KeyAlgorithm
    path: Path
    number: int
    register_id: str | None


class KeyStore:
    """The signing keys of one register in one data directory (``<data_dir>/keys``)."""

    def __init__(
        self, data_dir: Path, register_id: str, algorithm: KeyAlgorithm = KeyAlgorithm.RSA
    ) -> None:
        """Keys of ``register_id`` under ``data_dir/keys`` (nothing is read or created yet).

        Args:
            data_dir: The data directory.
            register_id: The register whose keys these are.
            algorithm: What :meth:`create` makes unless told otherwise.

        Raises:
            SigningKeyError: The register id is empty.
        """
        if not register_id:
            raise SigningKeyError("signing keys need a register id")
        self.keys_dir = Path(data_dir) / "keys"
        self.register_id = register_id
        self.algorithm = algorithm
        self._loaded: dict[str, Signer] = {}

    # --- reading ------------------------------------------------------------------------

    def all_files(self) -> list[KeyInfo]:
        """Every key file in the directory, of any register, by register and number.

        Raises:
            SigningKeyError: The key directory is open to other users.
        """
        if not self.keys_dir.exists():
            return []
        self._check_mode(self.keys_dir, "key directory")
        found: list[KeyInfo] = []
        for path in self.keys_dir.iterdir():
            match = _FILE.match(path.name)
            if match is None or _EXT[match["alg"]] != match["ext"]:
                continue
            number = int(match["number"])
            register = None if match["reg"] is None else unquote(match["reg"])
            version = str(number) if register is None else f"{register}-{number}"
            found.append(KeyInfo(version, KeyAlgorithm(match["alg"]), path, number, register))
        return sorted(found, key=lambda i: (i.register_id or "", i.number))

    def versions(self) -> list[KeyInfo]:
        """This register's key files (and those without a register), oldest first (empty
        when there are none).

        Raises:
            SigningKeyError: The key directory is open to other users, or two files claim
                the same number.
        """
        found: dict[int, KeyInfo] = {}
        for info in self.all_files():
            if info.register_id not in {None, self.register_id}:
                continue
            if info.number in found:
                raise SigningKeyError(
                    f"two key files claim number {info.number}: {found[info.number].path.name} "
                    f"and {info.path.name} in {self.keys_dir}"
                )
            found[info.number] = info
        return [found[n] for n in sorted(found)]

    def current(self) -> Signer:
        """The signer of the register's newest key version.

        Raises:
            SigningKeyError: There is no key yet, or its file is unsafe or corrupt.
        """
        signer = self.newest()
        if signer is None:
            raise SigningKeyError(
                f"no signing key for register {self.register_id} in {self.keys_dir}; "
                "run 'omnipos init' to create one"
            )
        return signer

    def newest(self) -> Signer | None:
        """The signer of the register's newest key version, or None when it has none (one
        look at the directory: this runs for every sale).

        Raises:
            SigningKeyError: Its file is unsafe or corrupt.
        """
        infos = self.versions()
        return self._load(infos[-1]) if infos else None

    def verifier(self, version: str) -> Verifier | None:
        """The key of a version, of any register, or None when there is no such file.

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

    @staticmethod
    def identity(signer: Verifier) -> tuple[str, str]:
        """The public PEM (empty for HMAC) and fingerprint of a key (:func:`key_identity`)."""
        return key_identity(signer)

    # --- creating -----------------------------------------------------------------------

    def create(self, algorithm: KeyAlgorithm | None = None) -> Signer:
        """Create the register's first key version, "<register>-1" (``omnipos init``, or a
        register's first sale on a shared database).

        Raises:
            SigningKeyError: The register has keys already, or the directory cannot be
                written.
        """
        if self.versions():
            raise SigningKeyError(
                f"signing keys of register {self.register_id} already exist in "
                f"{self.keys_dir}; use 'omnipos keys rotate'"
            )
        return self._new_version(1, algorithm or self.algorithm)

    def rotate(self, algorithm: KeyAlgorithm | None = None) -> Signer:
        """Create the register's next key version and make it current.

        Args:
            algorithm: The new key's algorithm; by default the same as the current key.

        Raises:
            SigningKeyError: There is no key yet, or the directory cannot be written.
        """
        infos = self.versions()
        if not infos:
            raise SigningKeyError(
                f"no signing key of register {self.register_id} in {self.keys_dir} to "
                "rotate; run init"
            )
        return self._new_version(infos[-1].number + 1, algorithm or infos[-1].algorithm)

    # --- internals ----------------------------------------------------------------------

    def _find(self, version: str) -> KeyInfo | None:
        return next((i for i in self.all_files() if i.version == version), None)

    def _require(self, version: str) -> Signer:
        info = self._find(version)
        if info is None:
            raise SigningKeyError(f"no key version {version!r} in {self.keys_dir}")
        return self._load(info)

    def _latest_or(self, version: str | None) -> KeyInfo:
        if version is None:
            infos = self.versions()
            if not infos:
                raise SigningKeyError(f"no signing key in {self.keys_dir}; run 'omnipos init'")
            return infos[-1]
        info = self._find(version)
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
        version = f"{self.register_id}-{number}"
        signer: Signer
        if algorithm is KeyAlgorithm.RSA:
            rsa_signer = RsaSigner.generate(version)
            content = rsa_signer.private_pem()
            signer = rsa_signer
        else:
            secret = secrets.token_bytes(HMAC_KEY_BYTES)
            content = base64.b64encode(secret) + b"\n"
            signer = HmacSigner(secret, version)
        register = quote(self.register_id, safe="")
        path = self.keys_dir / f"{algorithm.value}-{register}-v{number}.{_EXT[algorithm.value]}"
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
