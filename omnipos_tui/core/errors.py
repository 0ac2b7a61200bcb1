"""The one error hierarchy, as data. Library exceptions are translated into these at the boundary.

Expected outcomes (a declined card, a cancelled payment) are values, not exceptions. Each
front end handles ``PosError`` in one place: a modal in the till, stderr and an exit code in
the CLI.

An error raised by the core or a service says *what* went wrong, never how to word it: it
carries a **code** and **parameters** (``RuleViolation(code="sale.not_paid",
remaining=Money(1250))``). The words live outside the core, in :mod:`omnipos_tui.messages`,
in bokmål and English, and the front ends render them: the till in its language with its
live key map (a remapped key is named by its new name), the CLI in English. The same goes
for the other texts a service hands a person, such as the action a manager must approve:
a :class:`Message` (a code and parameters).

``str(error)`` is the English text, for the logs and the tests: :mod:`omnipos_tui.messages`
installs itself here with :func:`use_texts` when ``omnipos_tui`` is imported. Without it
``str()`` shows the code and the parameters, which still says what happened.

Drivers, storage and the configuration describe their failures in technical English (a
port, a path, an OS error) for the technician: those errors are free text
(``PrinterOffline("printer at /dev/usb/lp0 went away")``), and the front end names the
class's trouble in the screen's language before the detail ("Kvitteringsskriveren svarer
ikke: printer at ...").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

#: Renders a code and its parameters in English; installed by ``omnipos_tui.messages``.
EnglishTexts = Callable[[str, Mapping[str, object]], str]

_english: EnglishTexts | None = None


def use_texts(english: EnglishTexts) -> None:
    """Install the English rendering ``str()`` of errors and messages uses.

    Args:
        english: ``english(code, params)``: the English text of a code.
    """
    global _english  # noqa: PLW0603 - the one hook the outer layer plugs the words into
    _english = english


def _as_english(code: str, params: Mapping[str, object]) -> str:
    if _english is not None:
        return _english(code, params)
    return bare(code, params)


def bare(code: str, params: Mapping[str, object]) -> str:
    """The code and its parameters without words: ``sale.not_paid (remaining=12,50)``."""
    if not params:
        return code
    return f"{code} ({', '.join(f'{name}={value}' for name, value in params.items())})"


class Message:
    """A text for a person as data: a code and the values it is filled with.

    The front ends render it (:func:`omnipos_tui.messages.render`); ``str()`` is English.

    Attributes:
        code: What the text says, as a dotted name ("action.void_sale").
        params: The values it names.
    """

    __slots__ = ("code", "params")

    def __init__(self, code: str, /, **params: object) -> None:
        self.code = code
        self.params: Mapping[str, object] = params

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Message):
            return NotImplemented
        return (self.code, dict(self.params)) == (other.code, dict(other.params))

    __hash__ = None  # type: ignore[assignment]  # parameters may be unhashable

    def __repr__(self) -> str:
        return f"Message({bare(self.code, self.params)!r})"

    def __str__(self) -> str:
        return _as_english(self.code, self.params)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_message, (self.code, dict(self.params)))


def _message(code: str, params: dict[str, object]) -> Message:
    return Message(code, **params)


class PosError(Exception):
    """Base class of every error OmniPOS reports to a person.

    Made either with a code (``code="sale.already_paid"`` and keyword parameters: the core
    and the services, always) or with a free-text technical detail in English (drivers,
    storage, configuration), never both.

    Attributes:
        code: The error's code, or None for a free-text error.
        params: The values the code's texts name (empty for a free-text error).
    """

    def __init__(self, detail: str = "", /, *, code: str | None = None, **params: object) -> None:
        """Make an error.

        Args:
            detail: A technical description in English (a port, a path, an OS error), for
                errors that are not raised by the core or a service.
            code: What went wrong, as a dotted name the texts know ("sale.not_paid").
            **params: The values the texts name (amounts, numbers, names).

        Raises:
            TypeError: Both a detail and a code, or parameters without a code.
        """
        if code is not None and detail:
            raise TypeError("a PosError has a code or a free-text detail, not both")
        if params and code is None:
            raise TypeError("parameters need a code")
        super().__init__(detail if code is None else code)
        self.code = code
        self.params: Mapping[str, object] = params

    @property
    def detail(self) -> str:
        """The free-text detail ("" for an error with a code)."""
        return "" if self.code is not None else super().__str__()

    def __str__(self) -> str:
        if self.code is None:
            return super().__str__()
        return _as_english(self.code, self.params)

    def __repr__(self) -> str:
        code = getattr(self, "code", None)  # also while __init__ refuses its arguments
        shown = super().__str__() if code is None else bare(code, self.params)
        return f"{type(self).__name__}({shown!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt without calling __init__ (subclasses take their own arguments), so a copy
        # made in another process equals the original: class, code, parameters, attributes.
        return (_restore, (type(self), self.args, dict(self.__dict__)))


def _restore(cls: type[PosError], args: tuple[object, ...], state: dict[str, object]) -> PosError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


# --- input and domain rules -------------------------------------------------------------


class InvalidInput(PosError):
    """Something typed, imported or configured is not valid."""


class InvalidAmount(InvalidInput):
    """An amount could not be read."""


class InvalidBarcode(InvalidInput):
    """A barcode has a wrong length or check digit."""


class InvalidOrganisationNumber(InvalidInput):
    """A Norwegian organisation number fails its check digit."""


class ConfigError(PosError):
    """The configuration is not valid; the message names the key and the file."""


class NotFound(PosError):
    """A product, employee, customer, sale or receipt does not exist."""


class UnknownCode(NotFound):
    """A scanned or typed code matches no product (barcode, PLU or SKU).

    Attributes:
        barcode: The code as it arrived.
    """

    def __init__(self, barcode: str) -> None:
        super().__init__(code="catalogue.unknown_barcode", barcode=barcode)
        self.barcode = barcode


class Conflict(PosError):
    """The change clashes with what is stored (a barcode already on another product)."""


class RuleViolation(PosError):
    """The action is not allowed now (a second copy receipt, a Z with parked sales)."""


class ApprovalRequired(RuleViolation):
    """The action needs a manager's approval.

    Attributes:
        action: What needs approval, as a text the till shows in its language.
    """

    def __init__(self, action: Message) -> None:
        """Make the refusal.

        Args:
            action: What needs approval ("action.void_sale", sale="1-7").
        """
        super().__init__(code="approval.required", action=action)
        self.action = action


# --- authentication ---------------------------------------------------------------------


class AuthenticationError(PosError):
    """Wrong employee number or PIN."""


class EmployeeLocked(AuthenticationError):
    """Too many wrong PINs; the employee is locked for a while.

    Attributes:
        seconds_left: Seconds until the lock ends.
    """

    def __init__(self, seconds_left: int) -> None:
        """Make the refusal.

        Args:
            seconds_left: Seconds until the lock ends (the texts round up to minutes).
        """
        minutes = max(1, -(-seconds_left // 60))
        super().__init__(code="staff.locked", seconds=seconds_left, minutes=minutes)
        self.seconds_left = seconds_left


class PermissionDenied(PosError):
    """The employee's role does not allow the action."""


# --- storage and integrity --------------------------------------------------------------


class StorageError(PosError):
    """The database could not be read or written."""


class DatabaseUnavailable(StorageError):
    """The database does not answer (a PostgreSQL till has lost its server)."""


class DatabaseRefused(DatabaseUnavailable):
    """The PostgreSQL server answers but refuses this till: wrong user or password, no such
    database, or no right to connect."""


class ReadOnlyDatabase(StorageError):
    """The database is opened read-only (this user may read but not write its file, or it
    is on a read-only medium): what only reads works, a change is refused."""


class DatabaseBusy(StorageError):
    """The database gave up on a statement that waited too long or clashed with another
    till (lock timeout, deadlock, serialization failure, statement timeout); nothing of it
    was written, and the same step can be tried again."""


class MigrationRequired(StorageError):
    """The database schema is older than this version of OmniPOS."""


class AppendOnlyViolation(StorageError):
    """Something tried to change or delete a journal or transaction row."""


class IntegrityFailure(PosError):
    """The journal or signature chain does not verify."""


class SigningKeyError(PosError):
    """A signing key file is missing, unreadable, corrupt, or open to other users."""


# --- devices ----------------------------------------------------------------------------


class DeviceError(PosError):
    """A device failed. Subclasses say which and how."""


class DeviceTimeout(DeviceError):
    """A device did not answer within its timeout."""


class DeviceNotConnected(DeviceError):
    """A device's port or path is missing or was unplugged."""


class PrinterError(DeviceError):
    """The receipt printer failed."""


class PrinterOffline(PrinterError):
    """The printer does not answer or cannot be reached."""


class PaperOut(PrinterError):
    """The printer reports no paper."""


class CoverOpen(PrinterError):
    """The printer reports its cover open."""


class DrawerError(DeviceError):
    """The cash drawer could not be kicked or read."""


class TerminalError(DeviceError):
    """The card terminal failed (framing, link, or an answer that cannot be read)."""


class TerminalOutcomeUnknown(TerminalError):
    """The terminal stopped answering after the amount was sent: the payment may or may not
    have been approved. The cashier must check the terminal before anything else happens."""


class ScannerError(DeviceError):
    """The barcode scanner could not be opened or read."""


class DisplayError(DeviceError):
    """The customer display failed."""


# --- delivery to the outside world (the outbox) -----------------------------------------


class DeliveryError(PosError):
    """An outbox handler could not deliver a message; the subclass says whether it is tried
    again. The far end's (or the device's) own words are the ``detail`` parameter: they
    come from outside, in whatever language it speaks.
    """

    @property
    def detail(self) -> str:
        """The far end's words."""
        return str(self.params.get("detail", ""))


class DeliveryDeferred(DeliveryError):
    """A transient failure (a timeout, 429, a 5xx, a busy device): the message is tried
    again later, with exponential backoff and jitter, never before ``retry_after``.

    Attributes:
        retry_after: Seconds the far end asked us to wait (``Retry-After``), or None.
    """

    def __init__(self, detail: str, retry_after: float | None = None) -> None:
        """Make the failure.

        Args:
            detail: What went wrong, as the far end or the device said it.
            retry_after: Seconds the far end asked us to wait, or None.
        """
        super().__init__(code="delivery.deferred", detail=detail)
        self.retry_after = retry_after


class DeliveryRejected(DeliveryError):
    """A permanent refusal (the far end says the message is invalid): the message stops as
    *failed* with the far end's words and is tried again only by an explicit retry."""

    def __init__(self, detail: str) -> None:
        """Make the refusal.

        Args:
            detail: The far end's message.
        """
        super().__init__(code="delivery.rejected", detail=detail)
