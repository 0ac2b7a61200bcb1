"""The signature chain: the signed message, signers, and a pure check of a whole chain.

Every cash transaction of a register is signed over a message that starts with the previous
transaction's signature ("0" for the first), so the chain breaks where anything was changed,
removed or inserted (NORWAY-COMPLIANCE.md §2)::

    <previous signature or 0>;<transDate>;<transTime>;<nr>;<transAmntIn>;<transAmntEx>

RSA-SHA1 keys live in ``storage/signing_keys.py`` (they need the ``cryptography`` library);
HMAC-SHA1 needs only the standard library and lives here.
"""

from __future__ import annotations

import base64
import binascii
import enum
import hashlib
import hmac
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.money import Money

FIRST_PREVIOUS = "0"
"""What stands for the previous signature before the first transaction of a register."""

_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$")
_NR = re.compile(r"^[0-9A-Za-z_.\-]{1,35}$")
_SEPARATOR_OR_SPACE = re.compile(r"[;\s]")
HMAC_KEY_BYTES = 16


# Positional on purpose: the parameters are in the order of the signed message.
def signature_message(  # noqa: PLR0917
    previous: str | None,
    trans_date: str,
    trans_time: str,
    nr: int | str,
    amount_in: Money,
    amount_ex: Money,
) -> str:
    """The text that is signed for one transaction.

    Args:
        previous: The previous transaction's signature in this register's chain, or None
            (or "" or "0") for the first.
        trans_date: Oslo local date "YYYY-MM-DD", exactly as stored and exported.
        trans_time: Oslo local time "HH:MM:SS", exactly as stored and exported.
        nr: The signed transaction number (``cashtransaction/nr``).
        amount_in: ``transAmntIn``, the total including VAT.
        amount_ex: ``transAmntEx``, the total excluding VAT.

    Raises:
        InvalidInput: A field has the wrong form or contains the ``;`` separator.
    """
    prev = previous or FIRST_PREVIOUS
    if _SEPARATOR_OR_SPACE.search(prev):
        raise InvalidInput(code="signature.bad_previous")
    if not _DATE.match(trans_date):
        raise InvalidInput(code="signature.bad_date", date=trans_date)
    if not _TIME.match(trans_time):
        raise InvalidInput(code="signature.bad_time", time=trans_time)
    nr_text = str(nr)
    if isinstance(nr, bool) or not _NR.match(nr_text):
        raise InvalidInput(code="signature.bad_nr", nr=nr)
    return ";".join((prev, trans_date, trans_time, nr_text, amount_in.saft(), amount_ex.saft()))


class Verifier(Protocol):
    """Checks signatures made with one key version."""

    @property
    def algorithm(self) -> str:
        """ "RSA-SHA1-1024" or "HMAC-SHA1-128" (as declared in RF-1348)."""
        ...

    @property
    def key_version(self) -> str:
        """The ``keyVersion`` stored with each signature this key made."""
        ...

    def verify(self, message: str, signature: str) -> bool:
        """Whether ``signature`` (base64) is this key's signature of ``message``.

        Malformed base64 is a failed verification, not an error.
        """
        ...


class Signer(Verifier, Protocol):
    """Signs with the current key; also verifies its own signatures."""

    def sign(self, message: str) -> str:
        """The base64 signature of the UTF-8 message (no line breaks)."""
        ...


class HmacSigner:
    """HMAC-SHA1 with a 128-bit secret (the symmetric option; the secret is declared in
    RF-1348 in base64)."""

    algorithm = "HMAC-SHA1-128"

    def __init__(self, key: bytes, key_version: str) -> None:
        """Use a 16-byte secret.

        Raises:
            InvalidInput: The key is not 16 bytes or the version is empty.
        """
        if len(key) != HMAC_KEY_BYTES:
            raise InvalidInput(code="signature.hmac_key_size", size=HMAC_KEY_BYTES, got=len(key))
        if not key_version:
            raise InvalidInput(code="signature.no_key_version")
        self._key = key
        self._version = key_version

    @property
    def key_version(self) -> str:
        """The ``keyVersion`` stored with each signature."""
        return self._version

    def sign(self, message: str) -> str:
        """The base64 HMAC-SHA1 of the UTF-8 message (28 characters)."""
        digest = hmac.new(self._key, message.encode("utf-8"), hashlib.sha1).digest()
        return base64.b64encode(digest).decode("ascii")

    def verify(self, message: str, signature: str) -> bool:
        """Whether ``signature`` is this key's HMAC of ``message`` (constant time)."""
        try:
            given = base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError):
            return False
        expected = hmac.new(self._key, message.encode("utf-8"), hashlib.sha1).digest()
        return hmac.compare_digest(given, expected)

    def __repr__(self) -> str:
        # Never show the secret in logs or tracebacks.
        return f"HmacSigner(key_version={self._version!r})"


# --- checking a chain -------------------------------------------------------------------


class SignedRecord(Protocol):
    """What the chain check needs of a stored transaction (``core.transaction.Transaction``
    has all of it)."""

    @property
    def register_id(self) -> str: ...
    @property
    def nr(self) -> int: ...
    @property
    def trans_id(self) -> str: ...
    @property
    def trans_date(self) -> str: ...
    @property
    def trans_time(self) -> str: ...
    @property
    def total(self) -> Money: ...
    @property
    def total_ex_vat(self) -> Money: ...
    @property
    def signature(self) -> str: ...
    @property
    def key_version(self) -> str: ...
    @property
    def previous_signature(self) -> str: ...


R = TypeVar("R", bound=SignedRecord)


@dataclass(frozen=True, slots=True)
class KeyUnavailable:
    """A key version that exists but cannot be used to check signatures here: an HMAC
    secret that is not on this machine. The chain is then *not checked* from the first
    transaction signed with it, which is neither a pass nor a break.

    Attributes:
        reason: A sentence saying which key is missing and where it is.
    """

    reason: str


@dataclass(frozen=True, slots=True)
class PublishedKey:
    """A key version as recorded in the database when a register started using it.

    Attributes:
        register_id: The register that signs with it.
        key_version: The ``keyVersion`` stored with its signatures.
        algorithm: "RSA-SHA1-1024" or "HMAC-SHA1-128".
        public_pem: The PEM public key (RSA); empty for HMAC, whose secret stays on the
            till (and is declared in RF-1348).
        fingerprint: SHA-256 (hex) identifying the key without revealing a secret.
        created_at: When the register started using it (aware UTC).
        created_by: Who: an employee number, "init" or "cli".
    """

    register_id: str
    key_version: str
    algorithm: str
    public_pem: str
    fingerprint: str
    created_at: datetime
    created_by: str


VerifierLookup = Callable[[str], Verifier | KeyUnavailable | None]
"""The verifier of a key version of one register, a :class:`KeyUnavailable` when it exists
but cannot be used here, or None when no such version exists."""


class BreakReason(enum.StrEnum):
    """Why a chain does not verify at a transaction."""

    WRONG_REGISTER = "wrong_register"
    NUMBER_GAP = "number_gap"
    NUMBER_REUSED = "number_reused"
    WRONG_PREVIOUS = "wrong_previous"
    UNKNOWN_KEY = "unknown_key"
    KEY_UNAVAILABLE = "key_unavailable"
    BAD_SIGNATURE = "bad_signature"
    INCONSISTENT = "inconsistent"


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """The first transaction at which a chain fails.

    Attributes:
        nr: Its transaction number.
        trans_id: Its transaction id.
        reason: The kind of failure.
        detail: A sentence for the person running ``omnipos journal verify``.
    """

    nr: int
    trans_id: str
    reason: BreakReason
    detail: str


@dataclass(frozen=True, slots=True)
class ChainResult:
    """The outcome of checking a register's chain.

    Attributes:
        register_id: The register checked.
        checked: Transactions that verified before the first break (all of them when ok).
        last_nr: The number of the last verified transaction (0 when none).
        last_signature: Its signature (``"0"`` when none): where a later check can resume.
        broken: The first failure, or None when the whole chain verifies.
    """

    register_id: str
    checked: int
    last_nr: int
    last_signature: str
    broken: ChainBreak | None

    @property
    def ok(self) -> bool:
        """Whether every transaction verified."""
        return self.broken is None

    @property
    def unchecked(self) -> bool:
        """Whether the check stopped at a key that is not available here (not a break:
        the rest of the chain could not be checked at all)."""
        return self.broken is not None and self.broken.reason is BreakReason.KEY_UNAVAILABLE


def verify_chain(
    register_id: str,
    records: Iterable[R],
    verifier_for: Callable[[str], Verifier | KeyUnavailable | None],
    *,
    after_nr: int = 0,
    after_signature: str = FIRST_PREVIOUS,
    check: Callable[[R], str | None] | None = None,
) -> ChainResult:
    """Walk one register's transactions in stored order and find the first broken one.

    The message is rebuilt from the stored date, time, number and amounts and the *actual*
    previous signature in the chain, so a changed amount, a removed, inserted or reordered
    transaction, or a changed signature is found at the first transaction it affects.

    Args:
        register_id: The register whose chain this is.
        records: Its transactions ordered by ``nr`` (streamed; read once).
        verifier_for: The verifier for a key version, :class:`KeyUnavailable` when the key
            exists but cannot be used here, or None when no such key exists.
        after_nr: Resume after this number (0 = from the start, first ``nr`` is 1).
        after_signature: The signature of transaction ``after_nr`` ("0" from the start).
        check: Optional extra consistency check of a record (for example that the total is
            the sum of its lines); returns a problem description or None.

    Returns:
        How far the chain verified and, if it broke, where and why.
    """
    previous = after_signature
    expected_nr = after_nr + 1
    checked = 0
    verifiers: dict[str, Verifier | KeyUnavailable | None] = {}
    for record in records:
        if record.key_version not in verifiers:
            verifiers[record.key_version] = verifier_for(record.key_version)
        broken = _check_link(register_id, record, expected_nr, previous, verifiers)
        if broken is None and check is not None:
            problem = check(record)
            if problem is not None:
                broken = ChainBreak(
                    record.nr,
                    record.trans_id,
                    BreakReason.INCONSISTENT,
                    f"transaction {record.trans_id}: {problem}",
                )
        if broken is not None:
            return ChainResult(register_id, checked, expected_nr - 1, previous, broken)
        previous = record.signature
        expected_nr += 1
        checked += 1
    return ChainResult(register_id, checked, expected_nr - 1, previous, None)


def _check_link(
    register_id: str,
    record: SignedRecord,
    expected_nr: int,
    previous: str,
    verifiers: dict[str, Verifier | KeyUnavailable | None],
) -> ChainBreak | None:
    """The break at ``record`` given what came before it, or None when it verifies."""
    tid = record.trans_id

    def broken(reason: BreakReason, detail: str) -> ChainBreak:
        return ChainBreak(record.nr, tid, reason, detail)

    if record.register_id != register_id:
        return broken(
            BreakReason.WRONG_REGISTER,
            f"transaction {tid} belongs to register {record.register_id!r}",
        )
    if record.nr > expected_nr:
        return broken(
            BreakReason.NUMBER_GAP,
            f"transaction number {expected_nr} is missing before {tid} (nr {record.nr})",
        )
    if record.nr < expected_nr:
        return broken(
            BreakReason.NUMBER_REUSED,
            f"transaction {tid} has nr {record.nr}, already used (expected {expected_nr})",
        )
    if (record.previous_signature or FIRST_PREVIOUS) != previous:
        return broken(
            BreakReason.WRONG_PREVIOUS,
            f"transaction {tid} does not link to the signature of nr {expected_nr - 1}",
        )
    verifier = verifiers[record.key_version]
    if verifier is None:
        return broken(
            BreakReason.UNKNOWN_KEY,
            f"transaction {tid} is signed with unknown key version {record.key_version!r}",
        )
    if isinstance(verifier, KeyUnavailable):
        return broken(
            BreakReason.KEY_UNAVAILABLE,
            f"transaction {tid} and the rest of the chain NOT CHECKED: {verifier.reason}",
        )
    try:
        message = signature_message(
            previous,
            record.trans_date,
            record.trans_time,
            record.nr,
            record.total,
            record.total_ex_vat,
        )
    except InvalidInput as exc:
        return broken(BreakReason.BAD_SIGNATURE, f"transaction {tid}: {exc}")
    if not verifier.verify(message, record.signature):
        return broken(
            BreakReason.BAD_SIGNATURE,
            f"signature of transaction {tid} does not match its date, time, number and "
            f"amounts (key version {record.key_version})",
        )
    return None
