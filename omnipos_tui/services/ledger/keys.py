"""The signing keys: every register's key versions recorded in the database, the signer of
a register, verifiers for any register's chain, the public key for RF-1348 and OpenSSL,
and rotation.

The private keys live in each till's data directory (``storage/signing_keys.py``, wired in
``bootstrap``); this service speaks to them through :class:`KeyFiles`. The public part of
every key version (RSA: the PEM; HMAC: only a fingerprint) goes into the append-only
``signing_key`` table in the same unit of work that starts using it: ``omnipos init``, a
rotation, or a register's first signature (a new till on a shared database creates its
key then). So any machine on the database checks every RSA register's chain.

HMAC: the secret cannot be public. Checking an HMAC chain needs the secret (declared in
RF-1348), so it is checked only where the secret file is present (the till, or a copy of
its key file); elsewhere the chain is reported as *not checked*, never as passed.

A database from before keys were recorded: a till records its existing key versions ("1",
"2"...) at its next signature; until then it checks its own chain from its key files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from omnipos_tui.core.clock import Clock
from omnipos_tui.core.errors import SigningKeyError
from omnipos_tui.core.ledger.journal import EventCode
from omnipos_tui.core.ledger.signature import (
    KeyUnavailable,
    PublishedKey,
    Signer,
    Verifier,
    VerifierLookup,
)
from omnipos_tui.core.repositories import UnitOfWork, UnitOfWorkFactory
from omnipos_tui.services.ledger.steps import journal, known_register, lock_register

HMAC = "HMAC-SHA1-128"


class KeyVersion(Protocol):
    """A key file."""

    @property
    def version(self) -> str:
        """The ``keyVersion``."""
        ...


class KeyFiles(Protocol):
    """What the service needs of one register's key files (``storage.signing_keys.KeyStore``)."""

    @property
    def keys_dir(self) -> Path:
        """Where the key files are."""
        ...

    def versions(self) -> Sequence[KeyVersion]:
        """The register's key versions, oldest first."""
        ...

    def current(self) -> Signer:
        """The current signer."""
        ...

    def newest(self) -> Signer | None:
        """The current signer, or None when the register has no key here."""
        ...

    def verifier(self, version: str) -> Verifier | None:
        """The key file of a version (of any register), or None."""
        ...

    def public_pem(self, version: str | None = None) -> str:
        """The PEM public key of an RSA key version."""
        ...

    def hmac_secret_base64(self, version: str | None = None) -> str:
        """The base64 secret of an HMAC key version."""
        ...

    def create(self) -> Signer:
        """Create the register's first key version."""
        ...

    def rotate(self) -> Signer:
        """Create the next key version."""
        ...

    def identity(self, signer: Verifier) -> tuple[str, str]:
        """The public PEM (empty for HMAC) and fingerprint of a key."""
        ...


class KeyService:
    """Signing keys: recording, signing, verifying, public key, rotation."""

    def __init__(
        self,
        files: Callable[[str], KeyFiles],
        units: UnitOfWorkFactory,
        clock: Clock,
        *,
        register_id: str,
        rsa_verifier: Callable[[str, str], Verifier],
    ) -> None:
        """Build the service.

        Args:
            files: The key files of a register in this data directory.
            units: Opens units of work.
            clock: Where the time comes from.
            register_id: The register this installation is.
            rsa_verifier: A verifier from a PEM public key and its version.
        """
        self._files = files
        self._units = units
        self._clock = clock
        self._home = register_id
        self._rsa_verifier = rsa_verifier
        # Versions read back from the database (never ones only written in a unit of work
        # that might still roll back): no need to look them up again.
        self._recorded: set[tuple[str, str]] = set()

    # --- this installation's key files ---------------------------------------------------

    @property
    def algorithm(self) -> str:
        """The current key's algorithm ("RSA-SHA1-1024" or "HMAC-SHA1-128").

        Raises:
            SigningKeyError: There is no key yet.
        """
        return self._files(self._home).current().algorithm

    def versions(self) -> list[str]:
        """This register's key versions in the data directory, oldest first (empty before
        ``omnipos init``)."""
        return [info.version for info in self._files(self._home).versions()]

    def hmac_secret(self, version: str | None = None) -> str:
        """The base64 secret of an HMAC key version in this data directory, as declared in
        RF-1348.

        Raises:
            SigningKeyError: No such version, or an RSA key.
        """
        return self._files(self._home).hmac_secret_base64(version)

    # --- the database ---------------------------------------------------------------------

    def recorded(self, register_id: str | None = None) -> list[PublishedKey]:
        """The key versions recorded in the database: one register's, or every register's
        (by register, oldest first)."""
        with self._units(read_only=True) as uow:
            if register_id is None:
                return uow.signing_keys.all()
            return uow.signing_keys.of_register(register_id)

    def public_pem(self, version: str | None = None, *, register_id: str | None = None) -> str:
        """The PEM public key of a register's key version (default: this register, its
        newest version), from the database.

        A register that has recorded nothing yet (a database from before keys were
        recorded) is answered from this data directory's key files, if it is this one.

        Raises:
            SigningKeyError: No such version, or an HMAC key (see :meth:`hmac_secret`).
            NotFound: The shop has no such register.
        """
        register = register_id or self._home
        keys = self.recorded(register)
        if not keys and register != self._home:
            with self._units(read_only=True) as uow:
                known_register(uow, register)
        if not keys and register == self._home:
            return self._files(register).public_pem(version)
        wanted = keys[-1:] if version is None else [k for k in keys if k.key_version == version]
        if not wanted:
            if version is None:
                raise SigningKeyError(code="keys.none_recorded", register=register)
            raise SigningKeyError(
                code="keys.version_not_recorded", register=register, version=version
            )
        key = wanted[0]
        if not key.public_pem:
            raise SigningKeyError(
                code="keys.hmac_has_no_public", version=key.key_version, register=register
            )
        return key.public_pem

    # --- signing ----------------------------------------------------------------------------

    def signer(self, uow: UnitOfWork, register_id: str, employee: str) -> Signer:
        """The signer of a register, with every key version of it in this data directory
        recorded in ``uow`` (the unit of work that signs with it). A register with no key
        at all here and none recorded (a new till on a shared database) gets its first key.

        Raises:
            SigningKeyError: The key files cannot be used, or they are not the ones the
                database has for this register.
        """
        files = self._files(register_id)
        signer = files.newest()
        if signer is None:
            if uow.signing_keys.of_register(register_id):
                raise SigningKeyError(
                    code="keys.missing_here", register_id=register_id, keys_dir=files.keys_dir
                )
            signer = files.create()
        if (register_id, signer.key_version) not in self._recorded:
            self._record(uow, register_id, files, employee)
        return signer

    def initial_key(self, uow: UnitOfWork, register_id: str) -> str:
        """The register's key for ``omnipos init``: made unless this data directory has one
        (initialising again keeps it, and the chain goes on), recorded in ``uow``;
        described in one line."""
        signer = self.signer(uow, register_id, "init")
        files = self._files(register_id)
        return f"{signer.algorithm} key version {signer.key_version} in {files.keys_dir}"

    def rotate(self, *, employee: str = "") -> str:
        """Make a new key version of this register current, record and journal it; returns
        the new version.

        Raises:
            SigningKeyError: There is no key yet, or the key directory cannot be written.
        """
        files = self._files(self._home)
        signer = files.rotate()
        with self._units() as uow:
            state = lock_register(uow, self._home)
            self._record(uow, self._home, files, employee or "cli")
            journal(
                uow,
                state,
                EventCode.KEY_ROTATED,
                self._clock.now(),
                employee=employee,
                text=f"Ny signaturnøkkel versjon {signer.key_version} ({signer.algorithm})",
                payload={"key_version": signer.key_version, "algorithm": signer.algorithm},
                training=False,
            )
            uow.register_states.save(state)
            uow.commit()
        return signer.key_version

    def _record(self, uow: UnitOfWork, register_id: str, files: KeyFiles, by: str) -> None:
        """Record every key version of the register in this data directory that the
        database does not have yet; refuse keys that differ from the recorded ones."""
        stored = {k.key_version: k for k in uow.signing_keys.of_register(register_id)}
        now = self._clock.now()
        for info in files.versions():
            key = files.verifier(info.version)
            if key is None:  # pragma: no cover - the file was just listed
                continue
            pem, fingerprint = files.identity(key)
            known = stored.get(info.version)
            if known is None:
                uow.signing_keys.add(
                    PublishedKey(
                        register_id, info.version, key.algorithm, pem, fingerprint, now, by or "cli"
                    )
                )
            elif known.fingerprint != fingerprint:
                raise SigningKeyError(
                    code="keys.not_this_directory",
                    version=info.version,
                    keys_dir=files.keys_dir,
                    register_id=register_id,
                )
            else:
                self._recorded.add((register_id, info.version))

    # --- verifying --------------------------------------------------------------------------

    def verifiers(self, register_id: str) -> VerifierLookup:
        """The key versions of a register for checking its chain: this register's own key
        files where they are; otherwise RSA from the database, HMAC from this data
        directory when its secret is here (else not available).

        Raises:
            StorageError: The database cannot be read.
        """
        keys = {k.key_version: k for k in self.recorded(register_id)}
        files = self._files(register_id)

        def lookup(version: str) -> Verifier | KeyUnavailable | None:
            if register_id == self._home:
                # The till's own key files are the keys it signed with: they, not the
                # database's copy, check its chain where they are.
                own = files.verifier(version)
                if own is not None:
                    return own
            key = keys.get(version)
            if key is None:
                return None if keys else self._unrecorded(register_id, version)
            if key.algorithm != HMAC:
                return self._rsa_verifier(key.public_pem, version)
            local = files.verifier(version)
            if local is not None and files.identity(local)[1] == key.fingerprint:
                return local
            return KeyUnavailable(
                f"key version {version} of register {register_id} is an HMAC key; its secret "
                f"is not in the database and not in {files.keys_dir} (checking HMAC "
                "signatures needs the secret declared in RF-1348: check on that till, or "
                "with a copy of its key file)"
            )

        return lookup

    @staticmethod
    def _unrecorded(register_id: str, version: str) -> KeyUnavailable:
        """A register that has recorded no key yet (it signed before OmniPOS recorded
        keys) and whose key files are not here."""
        return KeyUnavailable(
            f"register {register_id} has not recorded its keys in the database yet (it "
            f"signed before OmniPOS recorded them); key version {version} is recorded at "
            "its next sale, or check on that till"
        )
