"""The signing keys: the public key for RF-1348 and OpenSSL, and rotation.

The key files are handled by ``storage/signing_keys.py`` (wired in ``bootstrap``); this
service speaks to them through :class:`KeyFiles`. A rotation makes a new key version
current; the chain continues (the next signature still starts from the previous one) and
the rotation is journaled in the register this process is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from omnipos_tui.core.clock import Clock
from omnipos_tui.core.journal import EventCode
from omnipos_tui.core.repositories import UnitOfWorkFactory
from omnipos_tui.core.signature import Signer
from omnipos_tui.services.ledger import journal, lock_register


class KeyVersion(Protocol):
    """A stored key version."""

    @property
    def version(self) -> str:
        """The ``keyVersion``."""
        ...


class KeyFiles(Protocol):
    """What the service needs of the key store (``storage.signing_keys.KeyStore``)."""

    def versions(self) -> Sequence[KeyVersion]:
        """Every key version, oldest first."""
        ...

    def current(self) -> Signer:
        """The current signer."""
        ...

    def public_pem(self, version: str | None = None) -> str:
        """The PEM public key of an RSA key version."""
        ...

    def hmac_secret_base64(self, version: str | None = None) -> str:
        """The base64 secret of an HMAC key version."""
        ...

    def rotate(self) -> Signer:
        """Create the next key version."""
        ...


class KeyService:
    """Signing keys: public key, versions, rotation."""

    def __init__(self, keys: KeyFiles, units: UnitOfWorkFactory, clock: Clock) -> None:
        self._keys = keys
        self._units = units
        self._clock = clock

    @property
    def algorithm(self) -> str:
        """The current key's algorithm ("RSA-SHA1-1024" or "HMAC-SHA1-128").

        Raises:
            SigningKeyError: There is no key yet.
        """
        return self._keys.current().algorithm

    def versions(self) -> list[str]:
        """Every key version, oldest first (empty before ``omnipos init``)."""
        return [info.version for info in self._keys.versions()]

    def public_pem(self, version: str | None = None) -> str:
        """The PEM public key of a key version (default: the current one).

        Raises:
            SigningKeyError: No such version, or an HMAC key (see :meth:`hmac_secret`).
        """
        return self._keys.public_pem(version)

    def hmac_secret(self, version: str | None = None) -> str:
        """The base64 secret of an HMAC key version, as declared in RF-1348.

        Raises:
            SigningKeyError: No such version, or an RSA key.
        """
        return self._keys.hmac_secret_base64(version)

    def rotate(self, *, employee: str = "") -> str:
        """Make a new key version current and journal it; returns the new version.

        Raises:
            SigningKeyError: There is no key yet, or the key directory cannot be written.
        """
        signer = self._keys.rotate()
        with self._units() as uow:
            state = lock_register(uow, uow.register_id)
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
